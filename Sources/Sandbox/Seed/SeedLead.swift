import AgentCore

/// One generated demo lead.
struct SeedLead {
    var id: String
    var uniqueCode: String
    var firstName: String
    var lastName: String?
    var email: String?
    var phone: String?
    var status: String
    var priority: String
    var source: String?
    var adPlatform: String?
    var assignedTo: String?
    var estimatedValue: Double?
    var actualValue: Double?
    var notes: String?
    var externalRef: String?
    var campaignName: String?
    var syncStatus: String
    var lastSyncAt: Millis?
    var createdAt: Millis
    var updatedAt: Millis
    var deletedAt: Millis?

    static let firstNames = ["Budi", "Siti", "Agus", "Dewi", "Andi", "Rina", "Joko", "Sri", "Eko", "Putri", "Rizky", "Ayu", "Dimas",
                             "Indah", "Fajar", "Nur", "Hendra", "Wati", "Yusuf", "Lestari", "Bambang", "Ratna", "Arief", "Maya",
                             "Teguh", "Kartika", "Ilham", "Anisa", "Gilang", "Wulan"]
    static let lastNames = ["Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Kusuma", "Setiawan", "Nugroho", "Lestari",
                            "Wibowo", "Halim", "Siregar", "Nasution", "Sihombing", "Harahap", "Susanto", "Gunawan", "Purnomo",
                            "Rahmawati", "Kurniawan"]
    static let domains = ["gmail.com", "yahoo.co.id", "gmail.com", "outlook.com", "tokobudi.co.id", "gmail.com", "icloud.com"]
    static let statuses: [(String, Int)] = [("pageview", 6), ("new", 24), ("contacted", 16), ("responded", 10), ("qualified", 10),
                                            ("hot", 5), ("proposal", 6), ("negotiation", 4), ("invoice", 3), ("won", 9), ("lost", 7)]
    static let priorities: [(String, Int)] = [("low", 25), ("medium", 45), ("high", 22), ("urgent", 8)]
    static let sources: [(String, Int)] = [("ads", 38), ("website", 16), ("whatsapp", 16), ("social", 9), ("referral", 6),
                                           ("phone", 5), ("email", 4), ("event", 3), ("other", 3)]
    static let platforms: [(String, Int)] = [("meta", 45), ("google", 28), ("tiktok", 18), ("linkedin", 4), ("posthog", 2), ("other", 3)]
    static let campaigns: [String: [String]] = [
        "meta": ["Promo Januari", "Flash Sale Ramadan", "Retargeting Keranjang"],
        "google": ["Brand Awareness", "Search - Sepatu Lari", "Performance Max Q1"],
        "tiktok": ["TikTok Live Harbolnas", "Promo Gajian"],
        "linkedin": ["B2B Reseller"],
        "posthog": ["Onboarding Nurture"],
        "other": ["Katalog Offline"],
    ]
    static let noteTexts = ["Minta katalog via WhatsApp", "Tanya ongkir ke Surabaya", "Follow up minggu depan", "Sudah transfer DP",
                            "Minta diskon reseller", "Tertarik paket bundling", "Called via WhatsApp", "Butuh invoice untuk kantor"]

    static func pick<G: RandomNumberGenerator>(_ weighted: [(String, Int)], _ rng: inout G) -> String {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var r = Int.random(in: 0..<total, using: &rng)
        for (value, weight) in weighted {
            if r < weight { return value }
            r -= weight
        }
        return weighted[0].0
    }

    static func hex<G: RandomNumberGenerator>(_ count: Int, _ rng: inout G) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[Int.random(in: 0..<16, using: &rng)] })
    }

    static func uuid<G: RandomNumberGenerator>(_ rng: inout G) -> String {
        "\(hex(8, &rng))-\(hex(4, &rng))-4\(hex(3, &rng))-a\(hex(3, &rng))-\(hex(12, &rng))"
    }

    static func leadId<G: RandomNumberGenerator>(_ rng: inout G) -> String {
        let digits = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "lead_" + String((0..<12).map { _ in digits[Int.random(in: 0..<digits.count, using: &rng)] })
    }

    static func code(_ number: Int) -> String { "KNK-" + UTCTimestamp.pad(number, 3) }

    static func random<G: RandomNumberGenerator>(number: Int, createdAt: Millis, now: Millis, members: [String], rng: inout G) -> SeedLead {
        let first = firstNames.randomElement(using: &rng)!
        let last: String? = Int.random(in: 0..<10, using: &rng) < 9 ? lastNames.randomElement(using: &rng)! : nil
        let status = pick(statuses, &rng)
        let source = pick(sources, &rng)
        let platform: String? = source == "ads" || source == "social" || Int.random(in: 0..<10, using: &rng) == 0 ? pick(platforms, &rng) : nil
        let estimate = Double(Int.random(in: 10...1000, using: &rng) * 50_000)
        let won = status == "won"
        let actual: Double? = won ? (estimate * Double(Int.random(in: 70...120, using: &rng)) / 100 / 50_000).rounded() * 50_000 : nil
        let sync: String
        if won, platform != nil {
            sync = pick([("synced", 70), ("pending", 12), ("partial", 6), ("failed", 12)], &rng)
        } else {
            sync = "none"
        }
        let updated = min(now, createdAt + Millis(Int.random(in: 0...(5 * 86_400_000), using: &rng)))
        let emailName = (first + (last.map { "." + $0 } ?? "")).lowercased()
        return SeedLead(
            id: leadId(&rng),
            uniqueCode: code(number),
            firstName: first,
            lastName: last,
            email: Int.random(in: 0..<10, using: &rng) < 8 ? "\(emailName)\(Int.random(in: 1...99, using: &rng))@\(domains.randomElement(using: &rng)!)" : nil,
            phone: Int.random(in: 0..<10, using: &rng) < 9 ? "+628\(Int.random(in: 11...59, using: &rng))\(Int.random(in: 1_000_000...99_999_999, using: &rng))" : nil,
            status: status,
            priority: pick(priorities, &rng),
            source: source,
            adPlatform: platform,
            assignedTo: !members.isEmpty && Int.random(in: 0..<10, using: &rng) < 7 ? members.randomElement(using: &rng) : nil,
            estimatedValue: status == "pageview" ? nil : estimate,
            actualValue: actual,
            notes: Int.random(in: 0..<4, using: &rng) == 0 ? noteTexts.randomElement(using: &rng) : nil,
            externalRef: platform == "meta" && Int.random(in: 0..<2, using: &rng) == 0 ? "fb_lead_\(hex(10, &rng))" : nil,
            campaignName: platform.flatMap { campaigns[$0]?.randomElement(using: &rng) },
            syncStatus: sync,
            lastSyncAt: sync == "none" || sync == "pending" ? nil : min(now, updated + 3_600_000),
            createdAt: createdAt,
            updatedAt: updated,
            // One lead in a hundred is soft-deleted, at fixed numbers so small seeds have some too.
            deletedAt: number % 100 == 50 ? updated : nil
        )
    }

    mutating func apply(_ hostile: (firstName: String, lastName: String?, notes: String)) {
        firstName = hostile.firstName
        lastName = hostile.lastName
        notes = hostile.notes
        status = "new"
        deletedAt = nil
    }
}
