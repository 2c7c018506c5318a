/// "Did you mean …?": the known name closest to a mistyped one, when it is close enough to be a typo.
public enum Suggestion {
    /// The candidate at the smallest edit distance from `typed` (a swap of two letters counts as one edit), if at most a third of its length.
    public static func closest(to typed: String, among candidates: [String]) -> String? {
        let typed = typed.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = Self.distance(typed, candidate.lowercased())
            if distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        guard let best, best.distance > 0, best.distance <= max(1, typed.count / 3) else { return nil }
        return best.name
    }

    /// " did you mean 'x'?" or nothing, to end an error message with.
    public static func hint(for typed: String, among candidates: [String]) -> String {
        closest(to: typed, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
