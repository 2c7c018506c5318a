/// Numbers the way the answer's language writes them: `1.234,5` and `12,5%` in Indonesian, `1,234.5` and `12.5%` in English.
struct Numbers: Sendable {
    let indonesian: Bool

    func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped.append(indonesian ? "." : ",") }
            grouped.append(c)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// One decimal place at most: `12,5` / `12.5`; whole numbers without one.
    func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let whole = integer(tenths / 10)
        let rest = abs(tenths % 10)
        if rest == 0 { return whole }
        let sign = value < 0 && tenths / 10 == 0 ? "-" : ""
        return sign + whole + (indonesian ? "," : ".") + String(rest)
    }

    func percent(_ value: Double) -> String { decimal(value) + "%" }

    /// Rupiah, grouped with dots in both languages (that is how rupiah is written): `Rp 45.000.000`.
    func money(_ value: Double) -> String { Rupiah.format(value) }
}
