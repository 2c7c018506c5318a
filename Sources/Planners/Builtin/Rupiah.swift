import Foundation

/// Money and numbers the Indonesian way: `Rp 45.000.000`, and amounts as people write them.
enum Rupiah {
    static func format(_ value: Double) -> String {
        let whole = Int(value.rounded())
        let digits = String(abs(whole))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped.append(".") }
            grouped.append(c)
        }
        return (whole < 0 ? "-" : "") + "Rp " + grouped
    }

    static func number(_ value: Int) -> String {
        format(Double(value)).replacingOccurrences(of: "Rp ", with: "")
    }

    /// "7,5 juta", "Rp 7.500.000", "7.5m", "1,2 miliar", "500 ribu", "5000000".
    static func parse(_ text: String) -> Double? {
        var t = text.lowercased().replacingOccurrences(of: "rp", with: "").trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ".:")))
        var multiplier = 1.0
        for (suffix, m) in [("billion", 1e9), ("million", 1e6), ("thousand", 1e3), ("miliar", 1e9), ("milyar", 1e9), ("juta", 1e6), ("jt", 1e6), ("ribu", 1e3), ("rb", 1e3), ("m", 1e6), ("k", 1e3)] where t.hasSuffix(suffix) {
            multiplier = m
            t = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        if multiplier == 1 {
            // Thousands separators: 7.500.000 or 7,500,000.
            t = t.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: "")
        } else {
            t = t.replacingOccurrences(of: ",", with: ".")
        }
        guard let n = Double(t) else { return nil }
        return n * multiplier
    }
}
