import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

@Suite("Statistics and satisfaction ratings")
struct StatisticsTests {
    struct Figures: Decodable {
        let unitCode: String
        let received: Int, receivedOnline: Int, receivedCounter: Int, receivedInterLevel: Int
        let finishedOnTime: Int, finishedLate: Int, inProgressOnTime: Int, inProgressLate: Int
        let supplementRequested: Int, refused: Int, withdrawn: Int
        let onlineRate: Double
    }
    struct Report: Decodable { let from: String; let to: String; let total: Figures; let rows: [Figures] }
    struct RatingRow: Decodable { let unitCode: String; let count: Int; let average: Double? }
    struct RatingReport: Decodable { let total: RatingRow; let rows: [RatingRow] }

    static let guardianship = DossierLifecycleTests.guardianship
    static let benThuy = DossierLifecycleTests.benThuy
    static let files = DossierLifecycleTests.guardianshipFiles

    @Test("each dossier counts once, in the right column, for its unit and the units above it; the CSV agrees",
          arguments: TestDatabase.enabled)
    func figures(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            func submit() async throws -> String {
                try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.files)
                    .content.decode(DossierJSON.self).code
            }
            // 1: finished on time after a supplement; 2: refused; 3: finished late; 4: in progress, late; 5: at the counter, in progress.
            let onTime = try await submit(), refused = try await submit(), late = try await submit(), open = try await submit()
            for code in [onTime, refused, late, open] { try await egov.act("motcua.benthuy", code, "receive") }
            try await egov.submit("motcua.benthuy", procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.files,
                                  applicant: #"{"fullName":"Trần Văn Bình","idNumber":"079088001234"}"#)
            try await egov.act("chuyenvien.benthuy", onTime, "request-supplement", note: "Bổ sung")
            try await egov.act(citizen, onTime, "supplement")
            try await egov.act("chuyenvien.benthuy", refused, "refuse", note: "Không đủ điều kiện giám hộ")
            for code in [onTime] {
                try await egov.act("chuyenvien.benthuy", code, "process")
                try await egov.approve("chutich.benthuy", code)
                try await egov.act("motcua.benthuy", code, "return-result")
            }
            try egov.setVietnamTime(2026, 10, 12, hour: 9) // past the 3-working-day deadline of the others
            try await egov.act("chuyenvien.benthuy", late, "process")
            try await egov.approve("chutich.benthuy", late)
            try await egov.act("motcua.benthuy", late, "return-result")

            let response = try await egov.get("/api/v1/stats/dossiers?unit=000.00.00.H99&from=2026-10-01&to=2026-10-12", as: "chutich.tinh")
            #expect(response.status == .ok, "\(response.body.string)")
            let report = try response.content.decode(Report.self)
            let f = report.total
            #expect(f.received == 5 && f.receivedOnline == 4 && f.receivedCounter == 1 && f.receivedInterLevel == 0)
            #expect(f.finishedOnTime == 1 && f.finishedLate == 1 && f.refused == 1)
            #expect(f.inProgressLate == 2 && f.inProgressOnTime == 0)
            #expect(f.supplementRequested == 1 && f.onlineRate == 80)
            let commune = try #require(report.rows.first { $0.unitCode == Self.benThuy })
            #expect(commune.received == 5 && commune.finishedOnTime == 1)
            #expect(report.rows.filter { $0.unitCode != Self.benThuy }.allSatisfy { $0.received == 0 })

            // Another commune's leader sees only their own unit.
            let other = try await egov.get("/api/v1/stats/dossiers?unit=\(Self.benThuy)", as: "chutich.vanson")
            #expect(other.status == .forbidden)
            // The CSV of the page holds the same figures.
            let browser = egov.browser()
            _ = try await browser.signIn("chutich.benthuy")
            let csv = try await browser.get("/thong-ke.csv?unit=\(Self.benThuy)&from=2026-10-01&to=2026-10-12")
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let total = try #require(csv.body.string.split(separator: "\r\n").last { $0.hasPrefix(Self.benThuy) })
            #expect(total.hasSuffix(",5,4,1,0,1,1,0,2,1,1,0,80.0"), "\(total)")

            // A later period counts what happened in it and what is still open, not what finished before it
            // (the query skips those: issue 15).
            let lastDay = try await egov.get("/api/v1/stats/dossiers?unit=\(Self.benThuy)&from=2026-10-12&to=2026-10-12", as: "chutich.benthuy")
            let day = try lastDay.content.decode(Report.self).total
            #expect(day.received == 0 && day.finishedOnTime == 0 && day.finishedLate == 1 && day.refused == 0, "\(lastDay.body.string)")
            #expect(day.inProgressLate == 2 && day.inProgressOnTime == 0 && day.supplementRequested == 0)
            let next = try await egov.get("/api/v1/stats/dossiers?unit=\(Self.benThuy)&from=2026-10-13&to=2026-10-20", as: "chutich.benthuy")
            let week = try next.content.decode(Report.self).total
            #expect(week.received == 0 && week.finishedOnTime == 0 && week.finishedLate == 0 && week.refused == 0, "\(next.body.string)")
            #expect(week.inProgressLate == 2 && week.inProgressOnTime == 0)
        }
    }

    @Test("the applicant rates a finished dossier once; ratings roll up per unit", arguments: TestDatabase.enabled)
    func ratings(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.files)
                .content.decode(DossierJSON.self).code
            let scores = #"{"scores":{"transparency":5,"guidance":4,"timeliness":5,"online":4,"overall":5},"comment":"Nhanh, chu đáo"}"#
            let early = try await egov.send(.POST, "/api/v1/dossiers/\(code)/rating", token: try await egov.login(citizen), json: scores)
            #expect(early.status == .conflict)
            try await egov.act("motcua.benthuy", code, "receive")
            try await egov.act("chuyenvien.benthuy", code, "process")
            try await egov.approve("chutich.benthuy", code)
            try await egov.act("motcua.benthuy", code, "return-result")
            let byOfficer = try await egov.send(.POST, "/api/v1/dossiers/\(code)/rating", token: try await egov.login("motcua.benthuy"),
                                                json: scores)
            #expect(byOfficer.status == .forbidden)
            let incomplete = try await egov.send(.POST, "/api/v1/dossiers/\(code)/rating", token: try await egov.login(citizen),
                                                 json: #"{"scores":{"overall":9}}"#)
            #expect(incomplete.status == .badRequest && incomplete.body.string.contains("từ 1 đến 5"))
            let rated = try await egov.send(.POST, "/api/v1/dossiers/\(code)/rating", token: try await egov.login(citizen), json: scores)
            #expect(rated.status == .created, "\(rated.body.string)")
            let twice = try await egov.send(.POST, "/api/v1/dossiers/\(code)/rating", token: try await egov.login(citizen), json: scores)
            #expect(twice.status == .conflict)
            let report = try await egov.get("/api/v1/stats/ratings?unit=000.00.00.H99&from=2026-10-01&to=2026-10-31", as: "chutich.tinh")
                .content.decode(RatingReport.self)
            #expect(report.total.count == 1 && report.total.average == 4.6)
            #expect(report.rows.first { $0.unitCode == Self.benThuy }?.count == 1)
        }
    }
}
