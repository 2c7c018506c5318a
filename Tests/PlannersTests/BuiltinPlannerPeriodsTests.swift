import AgentCore
import Foundation
@testable import Planners
import Testing

/// Ways of naming a period, of asking two things at once, and other wordings learnt from held-out requests (now Tue 24 Nov 2026, Jakarta).
@Suite struct BuiltinPlannerPeriodsTests {
    typealias P = BuiltinPlannerTests

    @Test func aDayWithNoMonthAfterSinceIsThisMonths() {
        #expect(P.calls("ada brp lead dari iklan google sejak tgl 5").first?.arguments["createdFrom"] == "2026-11-05")
    }

    @Test func aDayStillToComeIsLastMonths() {
        #expect(P.calls("berapa lead sejak tanggal 28").first?.arguments["from"] == "2026-10-28")
    }

    @Test func aDayRangeBeforeAMonthIsNotReadAsOneDay() {
        #expect(P.calls("daftar lead proposal tgl 10-20 November").first?.arguments["createdTo"] == "2026-11-20")
    }

    @Test func aDayAndMonthWithoutAYearRunsToTheNamedPeriod() {
        let args = P.calls("lead dr pameran dari 1/11 sampe kemarin brp").first?.arguments
        #expect(args?["createdFrom"] == "2026-11-01")
        #expect(args?["createdTo"] == "2026-11-23")
    }

    @Test func aQuarterRunsToTodayWhileItLasts() {
        let args = P.calls("lead Q4 sejauh ini brp").first?.arguments
        #expect(args?["from"] == "2026-10-01")
        #expect(args?["to"] == "2026-11-24")
    }

    @Test func theStartOfTheYearIsThisYear() {
        #expect(P.calls("avg deal value dari awal tahun").first?.arguments["from"] == "2026-01-01")
    }

    @Test func anEnglishOrdinalDayIsADay() {
        #expect(P.calls("How many conversions have failed to sync since October 1st?").first?.arguments["from"] == "2026-10-01")
    }

    @Test func keFourIsAnOrdinalNotALeadCode() {
        if case .calls(let c) = P.step(["show leads this week", "yg ke-4 siapa"], answers: ["Leads\nKNK-1 a\nKNK-2 b\nKNK-3 c\nKNK-4 d"]) {
            #expect(c.first?.arguments["search"] == "KNK-4")
        } else {
            Issue.record("no call for the 4th row")
        }
    }

    @Test func twoCountsInOneRequestAreTwoCalls() {
        let c = P.calls("brp lead dari referral dan brp dari pameran bulan ini")
        #expect(c.map { $0.arguments["source"] } == ["referral", "event"])
    }

    @Test func aPeriodSaidOnceAtTheEndIsBothQuestions() {
        let c = P.calls("how many won and how many lost leads this month")
        #expect(c.map { $0.arguments["createdFrom"] } == ["2026-11-01", "2026-11-01"])
    }

    @Test func theSecondQuestionsFilterAloneNeedsTheList() {
        let c = P.calls("brp lead hari ini, trs brp yg dr wa?")
        #expect(c.map(\.name) == ["listLeads", "listLeads"])
    }

    @Test func aQuestionAboutASettingIsARead() {
        #expect(P.calls("what currency is the account set to").first?.name == "getWorkspace")
    }

    @Test func theFirstLeadsEverAreTheOldest() {
        #expect(P.calls("first 3 leads we ever got").first?.arguments["sortOrder"] == "asc")
    }

    @Test func anOneLineLeadAfterADashIsCreated() {
        let c = P.calls("add a lead - Maria Ulfa, maria.ulfa@gmail.com, came from a referral, low priority")
        #expect(c.first?.arguments["firstName"] == "Maria")
    }

    @Test func anAmountInAOneLineLeadIsItsEstimate() {
        let c = P.calls("Buat lead: Rina Wulandari, rina.w@yahoo.co.id, estimasi nilai 15.000.000, prioritas tinggi")
        #expect(c.first?.arguments["estimatedValue"] == 15_000_000)
    }

    @Test func aDeleteInAFollowUpIsDeclined() {
        var kind: Unresolved.Kind?
        if case .unresolved(let u) = P.step(["show proposal leads", "hapus aja semuanya"]) { kind = u.kind }
        #expect(kind == .unsupported)
    }

    @Test func wonDealsWaitingToBeSentAreThePendingConversions() {
        #expect(P.calls("which won deals are still waiting to be sent to the ad platforms?").first?.name == "listPendingConversions")
    }

    @Test func aCampaignThatConvertedBestIsRankedByConversions() {
        #expect(P.calls("wich campain converted best this month").first?.name == "getCampaignPerformance")
    }

    @Test func leadsRankedByTheirValueAreDeclined() {
        var kind: Unresolved.Kind?
        if case .unresolved(let u) = P.step(["top 10 lead yg paling gede value nya"]) { kind = u.kind }
        #expect(kind == .unsupported)
    }

}
