// Generated from Lexicons/*.txt by scripts/bundle-lexicons; a test keeps them equal.

/// The word lists compiled into the binary, by file name.
public enum ShippedLexicons {
    public static let all: [(name: String, text: String)] = [
        ("state-changing-verbs.txt", #"""
# Verbs that name a change of state. A GET endpoint whose title starts with one
# of these, or whose last literal path segment has one as a word
# (`/leads/:id/mark-won`, `/tickets/bulk-delete`), is suspected of being a
# write declared as a read: the reader warns and marks it for review, and the
# policy gate treats it as a write. One lower-case word a line; `#` starts a
# comment. Compiled into the binary by scripts/bundle-lexicons.
accept
activate
add
append
approve
archive
assign
ban
block
cancel
charge
clear
close
confirm
convert
create
deactivate
decline
delete
deny
destroy
disable
dismiss
drop
edit
enable
enqueue
erase
execute
flag
grant
import
insert
invite
invoke
kill
lock
mark
merge
modify
move
pause
pay
publish
purge
push
put
qualify
reassign
refund
register
reject
remove
rename
reopen
replace
reset
restore
resume
revoke
rotate
run
save
send
set
start
stop
submit
subscribe
suspend
sync
tag
terminate
transfer
trigger
unarchive
unassign
unblock
unlock
unsubscribe
untag
update
upload
upsert
void
win
"""#),
    ]

    /// The text of one list; the build fails a test if a name here has no file.
    public static func text(_ name: String) -> String { all.first { $0.name == name }?.text ?? "" }
}
