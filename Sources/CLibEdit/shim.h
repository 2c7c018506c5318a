// Fixed-argument wrappers around libedit's C-variadic el_set/el_get/history,
// which Swift cannot call, and the SIGINT handling the REPL needs.
#ifndef KONEKTOR_CLIBEDIT_SHIM_H
#define KONEKTOR_CLIBEDIT_SHIM_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <histedit.h>

typedef char *(*konektor_prompt_fn)(EditLine *);
typedef unsigned char (*konektor_el_fn)(EditLine *, int);

static inline EditLine *konektor_el_init(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int konektor_el_set_prompt(EditLine *el, konektor_prompt_fn f) { return el_set(el, EL_PROMPT, f); }
static inline int konektor_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int konektor_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int konektor_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int konektor_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *konektor_el_get_clientdata(EditLine *el) { void *d = NULL; el_get(el, EL_CLIENTDATA, &d); return d; }
static inline int konektor_el_addfn(EditLine *el, const char *name, const char *help, konektor_el_fn f) { return el_set(el, EL_ADDFN, name, help, f); }
static inline int konektor_el_bind(EditLine *el, const char *key, const char *fn) { return el_set(el, EL_BIND, key, fn, NULL); }
/// While editing, Ctrl-C is a key (bound to discard the line), not a signal.
static inline int konektor_el_setty_noisig(EditLine *el) { return el_set(el, EL_SETTY, "-d", "-isig", NULL); }

static inline History *konektor_history_init(void) { return history_init(); }
static inline int konektor_history_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int konektor_history_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int konektor_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int konektor_history_load(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_LOAD, file); }
static inline int konektor_history_save(History *h, const char *file) { HistEvent ev; return history(h, &ev, H_SAVE, file); }

/// Set by SIGINT; read and cleared by the REPL.
static volatile sig_atomic_t konektor_sigint_seen = 0;

static void konektor_sigint_handler(int signo) { (void)signo; konektor_sigint_seen = 1; }

/// Handles SIGINT without SA_RESTART, so a blocked el_gets returns with EINTR instead of the process dying.
static inline int konektor_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = konektor_sigint_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(SIGINT, &sa, NULL);
}

static inline int konektor_take_sigint(void) { int seen = konektor_sigint_seen; konektor_sigint_seen = 0; return seen; }
static inline int konektor_errno(void) { return errno; }
static inline void konektor_clear_errno(void) { errno = 0; }

/// Whether more input is waiting on stdin within `ms` milliseconds (a paste in progress).
static inline int konektor_input_pending(int ms) {
    struct pollfd p = { .fd = 0, .events = POLLIN, .revents = 0 };
    return poll(&p, 1, ms) > 0;
}

#endif
