/// Zero-padded numbers for calendar days (`2026-12-02`), without `String(format:)`: its first use in a process costs
/// about a millisecond (C varargs, a locale), and the planner writes a day in every answer that has a period.
enum Padded {
    /// `n` in at least `width` characters, zeros after the sign, as `%0Nd` writes it.
    static func number(_ n: Int, width: Int) -> String {
        let digits = String(n.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count - (n < 0 ? 1 : 0)))
        return (n < 0 ? "-" : "") + padding + digits
    }

    /// `yyyy-MM-dd`.
    static func day(_ year: Int, _ month: Int, _ day: Int) -> String {
        number(year, width: 4) + "-" + number(month, width: 2) + "-" + number(day, width: 2)
    }
}
