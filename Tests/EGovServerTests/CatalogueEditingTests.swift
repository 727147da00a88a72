import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

@Suite("Administrators edit the catalogue; the portal's pages show it")
struct CatalogueEditingTests {
    static let newProcedure = #"""
    {"name":"Cấp giấy xác nhận thử nghiệm","field":"HTCT","level":"commune","units":"commune","onlineLevel":"full",
     "processingDays":2,"process":"commune-only","fees":[{"name":"Lệ phí","amount":10000}],"legalBasis":["Quyết định thử nghiệm"],
     "components":[{"id":"don","name":"Đơn đề nghị","fileTypes":["pdf"]}],"result":"Giấy xác nhận"}
    """#

    @Test("an administrator creates and edits a procedure; bad input and other officers are refused", arguments: TestDatabase.enabled)
    func editOverAPI(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let admin = try await egov.login("quantri.tinh")
            let created = try await egov.send(.PUT, "/api/v1/procedures/9.000001", token: admin, json: Self.newProcedure)
            #expect(created.status == .created, "\(created.body.string)")
            let search = try await egov.send(.GET, "/api/v1/procedures?q=xac%20nhan%20thu%20nghiem").body.string
            #expect(search.contains(#""code":"9.000001""#) && search.contains("000.00.31.H99"))
            let edited = try await egov.send(.PUT, "/api/v1/procedures/9.000001", token: admin,
                                             json: Self.newProcedure.replacingOccurrences(of: #""processingDays":2"#, with: #""processingDays":4"#))
            #expect(edited.status == .ok && edited.body.string.contains(#""processingDays":4"#))
            let bad = try await egov.send(.PUT, "/api/v1/procedures/9.000001", token: admin,
                                          json: Self.newProcedure.replacingOccurrences(of: "commune-only", with: "nowhere")
                                              .replacingOccurrences(of: #""field":"HTCT""#, with: #""field":"XYZ""#))
            #expect(bad.status == .badRequest && bad.body.string.contains("Quy trình “nowhere” không có.")
                    && bad.body.string.contains("Lĩnh vực “XYZ”"))
            let officer = try await egov.send(.PUT, "/api/v1/procedures/9.000001", token: try await egov.login("chutich.benthuy"),
                                              json: Self.newProcedure)
            #expect(officer.status == .forbidden)
            // A procedure that has dossiers is not deleted; one without is.
            let citizen = try await egov.citizen()
            try await egov.submit(citizen, procedure: "9.000001", unit: "000.00.31.H99", attachments: [("don", "don.pdf", SampleFiles.pdf)])
            let kept = try await egov.send(.DELETE, "/api/v1/procedures/9.000001", token: admin)
            #expect(kept.status == .conflict)
            try await egov.send(.PUT, "/api/v1/procedures/9.000002", token: admin, json: Self.newProcedure)
            let deleted = try await egov.send(.DELETE, "/api/v1/procedures/9.000002", token: admin)
            #expect(deleted.status == .noContent)
            #expect(try await egov.send(.GET, "/api/v1/procedures/9.000002").status == .notFound)
        }
    }

    @Test("the portal: accent-free search, filters, a procedure's page and the admin's edit form", arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let visitor = egov.browser()
            let search = try await visitor.get("/thu-tuc?q=dang+ky+khai+sinh")
            #expect(search.status == .ok && search.body.string.contains(">Đăng ký khai sinh</a>"))
            let filtered = try await visitor.get("/thu-tuc?level=none")
            #expect(filtered.body.string.contains("Chứng thực chữ ký") && !filtered.body.string.contains(">Đăng ký khai sinh</a>"))
            let detail = try await visitor.get("/thu-tuc/1.001193")
            #expect(detail.body.string.contains("Giấy chứng sinh") && detail.body.string.contains("/login?next=/thu-tuc/1.001193/nop-ho-so"))
            #expect(!detail.body.string.contains("/thu-tuc/1.001193/sua"))

            let admin = egov.browser()
            _ = try await admin.signIn("quantri.tinh")
            let form = try await admin.get("/thu-tuc/1.001193/sua")
            #expect(form.status == .ok && form.body.string.contains("giay-chung-sinh | Giấy chứng sinh"))
            let saved = try await admin.post("/thu-tuc/1.001193/sua", form: [
                "name": "Đăng ký khai sinh (đã sửa)", "field": "HTCT", "level": "commune", "onlineLevel": "full", "processingDays": "2",
                "cutoffHour": "15", "process": "commune-only", "units": "commune", "fees": "Lệ phí | 0 | Miễn",
                "legalBasis": "Luật Hộ tịch", "components": "to-khai | Tờ khai | có | 1 | pdf | có", "result": "Giấy khai sinh",
            ])
            #expect(saved.status == .ok && saved.body.string.contains("Đã lưu."))
            let api = try await egov.send(.GET, "/api/v1/procedures/1.001193").body.string
            #expect(api.contains("Đăng ký khai sinh (đã sửa)") && api.contains(#""processingDays":2"#))
            let refused = try await admin.post("/thu-tuc/1.001193/sua", form: ["name": "", "processingDays": "-1"])
            #expect(refused.status == .badRequest && refused.body.string.contains("Vui lòng nhập tên thủ tục."))
        }
    }
}
