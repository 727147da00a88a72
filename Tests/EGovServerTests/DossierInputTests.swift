import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import SQLKit
import Testing
import VaporTesting

@Suite("Bad submissions are refused in Vietnamese and store nothing; codes stay gap-free under load")
struct DossierInputTests {
    static let guardianship = DossierLifecycleTests.guardianship
    static let benThuy = DossierLifecycleTests.benThuy

    /// Nothing of a refused submission reaches the database.
    func expectNothingStored(_ egov: TestInstallation, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        #expect(try await DossierModel.query(on: egov.app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(try await DossierFileModel.query(on: egov.app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(try await PersonalFileModel.query(on: egov.app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(try await CounterModel.query(on: egov.app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(try await OutboxMessageModel.query(on: egov.app.db).count() == 0, sourceLocation: sourceLocation)
    }

    @Test("missing component, wrong type, disguised file, oversized file, unknown procedure or unit", arguments: TestDatabase.enabled)
    func refused(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.maxUploadBytes = 1024 }) { egov in
            let citizen = try await egov.citizen()
            let missing = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: [])
            #expect(missing.status == .badRequest)
            #expect(missing.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(missing.body.string.contains("Thiếu thành phần hồ sơ bắt buộc: “Văn bản cử người giám hộ"))

            let wrongType = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                                  attachments: [("van-ban-cu-giam-ho", "van-ban.exe", SampleFiles.pdf)])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.body.string.contains("Tệp “van-ban.exe” không đúng định dạng: chỉ nhận pdf, jpg, jpeg, png."))

            let disguised = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                                  attachments: [("van-ban-cu-giam-ho", "van-ban.pdf", SampleFiles.notAPDF)])
            #expect(disguised.status == .badRequest && disguised.body.string.contains("không phải định dạng pdf"))

            let big = SampleFiles.pdf + Data(repeating: 0x20, count: 2048)
            let oversized = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                                  attachments: [("van-ban-cu-giam-ho", "van-ban.pdf", big)])
            #expect(oversized.status == .badRequest && oversized.body.string.contains("vượt quá dung lượng cho phép"))

            let unknown = try await egov.submit(citizen, procedure: "9.999999", unit: Self.benThuy, attachments: [])
            #expect(unknown.status == .badRequest && unknown.body.string.contains("Không có thủ tục hành chính mã “9.999999”."))

            let wrongUnit = try await egov.submit(citizen, procedure: Self.guardianship, unit: "000.00.02.H99",
                                                  attachments: [("van-ban-cu-giam-ho", "van-ban.pdf", SampleFiles.pdf)])
            #expect(wrongUnit.status == .badRequest && wrongUnit.body.string.contains("không giải quyết thủ tục"))

            let unknownComponent = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                                         attachments: [("van-ban-cu-giam-ho", "van-ban.pdf", SampleFiles.pdf),
                                                                       ("giay-bay", "x.pdf", SampleFiles.pdf)])
            #expect(unknownComponent.status == .badRequest && unknownComponent.body.string.contains("Thủ tục không có thành phần hồ sơ “giay-bay”"))

            let notOnline = try await egov.submit(citizen, procedure: "2.000884", unit: Self.benThuy, attachments: [])
            #expect(notOnline.status == .badRequest && notOnline.body.string.contains("chưa được nộp trực tuyến"))

            let badJSON = try await egov.send(.POST, "/api/v1/dossiers", token: try await egov.login(citizen), json: #"{"procedureCode": 12"#)
            #expect(badJSON.status == .badRequest)
            // English on request.
            let english = try await egov.send(.POST, "/api/v1/dossiers", token: try await egov.login(citizen),
                                              json: #"{"procedureCode":"9.999999","unitCode":"x"}"#, headers: ["Accept-Language": "en"])
            #expect(english.body.string.contains("No procedure with code “9.999999”."))
            try await expectNothingStored(egov)

            // An action with a bad attachment leaves the dossier as it was.
            let created = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                                attachments: [("van-ban-cu-giam-ho", "van-ban.pdf", SampleFiles.pdf)])
            let code = try created.content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "request-supplement", note: "Bổ sung bản chụp rõ hơn")
            try await egov.act(citizen, code, "supplement", attachments: [("van-ban-cu-giam-ho", "a.exe", SampleFiles.pdf)], expect: .badRequest)
            let unchanged = try await egov.dossier(citizen, code)
            #expect(unchanged.status == "waiting-supplement" && unchanged.history.count == 2)
        }
    }

    @Test("parallel submissions on two server processes get unique, gap-free codes; what names a dossier names its final code",
          arguments: TestDatabase.enabled)
    func concurrentNumbering(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let token = try await egov.login(citizen)
            let file = SampleFiles.pdf.base64EncodedString()
            let body = #"{"procedureCode":"\#(Self.guardianship)","unitCode":"\#(Self.benThuy)","form":{"a":1},"attachments":[{"componentId":"van-ban-cu-giam-ho","fileName":"v.pdf","contentBase64":"\#(file)"}]}"#
            try await egov.secondNode { node in
                // Two server processes share PostgreSQL; SQLite is the one-node installation (and two
                // applications in one test process would share one small thread pool for its blocking calls).
                let nodes = database == .postgres ? [egov.app, node] : [egov.app]
                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<24 {
                        group.addTask {
                            var headers = HTTPHeaders()
                            headers.bearerAuthorization = BearerAuthorization(token: token)
                            headers.contentType = .json
                            let app = nodes[index % nodes.count]
                            let response = try await app.testing().sendRequest(.POST, "/api/v1/dossiers", headers: headers,
                                                                               body: ByteBuffer(string: body))
                            guard response.status == .created else { throw TestSetupError("\(response.status) \(response.body.string)") }
                            return try response.content.decode(DossierJSON.self).code
                        }
                    }
                    var all: [String] = []
                    for try await code in group { all.append(code) }
                    return all
                }
                let expected = (1...24).map { String(format: "000.00.31.H99-261005-%04d", $0) }
                #expect(codes.sorted() == expected)
                // A dossier is numbered after it is written (issue 15): its audit event and the applicant's stored copy of
                // the file name the final code, and no provisional code is left.
                let sql = try #require(egov.app.db as? any SQLDatabase)
                let audited = try await sql.raw("SELECT target FROM core_audit_events WHERE action = 'dossier.submit' AND (target LIKE 'dossier:000.00.31.H99-261005-%' OR target LIKE 'dossier:~%')").all()
                    .map { try $0.decode(column: "target", as: String.self) }
                #expect(audited.sorted() == expected.map { "dossier:" + $0 })
                let stored = try await sql.raw("SELECT source FROM core_personal_files WHERE source LIKE 'dossier:000.00.31.H99-261005-%' OR source LIKE 'dossier:~%'").all()
                    .map { try $0.decode(column: "source", as: String.self) }
                #expect(!stored.isEmpty && stored.allSatisfy { expected.contains(String($0.dropFirst("dossier:".count))) }, "\(stored)")
                let provisional = try await sql.raw("SELECT count(*) AS n FROM ps_dossiers WHERE code LIKE '~%'").first()
                #expect(try provisional?.decode(column: "n", as: Int.self) == 0)
            }
        }
    }
}
