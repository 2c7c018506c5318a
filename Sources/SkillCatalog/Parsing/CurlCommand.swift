/// The parts of a documented curl command that matter: method, URL and `-d` data.
struct CurlCommand {
    var method: String?
    var url: String?
    var data: String?

    init(_ command: String) {
        let words = Self.shellWords(command)
        var i = 0
        while i < words.count {
            let word = words[i]
            switch word {
            case "-X", "--request":
                if i + 1 < words.count { method = words[i + 1].uppercased(); i += 1 }
            case "-d", "--data", "--data-raw", "--data-binary":
                if i + 1 < words.count { data = words[i + 1]; i += 1 }
            case "-H", "--header":
                i += 1
            default:
                if url == nil, word.hasPrefix("http://") || word.hasPrefix("https://") { url = word }
            }
            i += 1
        }
    }

    /// Splits a command line the way a POSIX shell would for quotes (no expansions).
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var quote: UInt8?
        var iterator = text.utf8.makeIterator()
        let backslash = UInt8(ascii: "\\"), double = UInt8(ascii: "\""), single = UInt8(ascii: "'")
        while let ch = iterator.next() {
            if let q = quote {
                if ch == q {
                    quote = nil
                } else if q == double, ch == backslash, let next = iterator.next() {
                    if next != double && next != backslash { word.append(ch) }
                    word.append(next)
                } else {
                    word.append(ch)
                }
            } else if ch == single || ch == double {
                quote = ch
                inWord = true
            } else if ch == 0x20 || ch == 0x09 || ch == 0x0A || ch == 0x0D {
                if inWord { words.append(String(decoding: word, as: UTF8.self)); word = []; inWord = false }
            } else {
                word.append(ch)
                inWord = true
            }
        }
        if inWord { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }
}
