import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Administering units on the web")
struct UnitAdminTests {
    @Test("an administrator adds and renames a unit; bad codes and duplicates are refused; others may not", arguments: TestDatabase.enabled)
    func createAndRename(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let admin = egov.browser()
            #expect(try await admin.signIn("quantri.tinh").status == .seeOther)
            try await admin.get("/admin/units/000.00.31.H99")
            // MUT: a new division, then a bad code, then the same code again.
            let created = try await admin.post("/admin/units/000.00.31.H99/children",
                                               form: ["code": "002.00.31.H99", "type": "division", "name": "Phòng Văn hóa – Xã hội", "shortName": ""])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/admin/units/002.00.31.H99")
            let bad = try await admin.post("/admin/units/000.00.31.H99/children",
                                           form: ["code": "2.0.31.H99", "type": "division", "name": "Phòng Kinh tế"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("không đúng định dạng"))
            let duplicate = try await admin.post("/admin/units/000.00.31.H99/children",
                                                 form: ["code": "002.00.31.H99", "type": "division", "name": "Phòng Kinh tế"])
            #expect(duplicate.status == .conflict)
            try await admin.get("/admin/units/002.00.31.H99")
            let renamed = try await admin.post("/admin/units/002.00.31.H99",
                                               form: ["name": "Phòng Văn hóa, Khoa học và Thông tin", "shortName": "VHKHTT", "type": "division"])
            #expect(renamed.status == .ok)
            // validate
            let unit = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == "002.00.31.H99").first())
            let ward = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == "000.00.31.H99").first())
            #expect(unit.name == "Phòng Văn hóa, Khoa học và Thông tin")
            #expect(unit.shortName == "VHKHTT")
            #expect(unit.isInSubtree(ofPath: ward.path) && unit.depth == ward.depth + 1)
            let actions = try await AuditEventModel.query(on: egov.app.db).filter(\.$target == "unit:002.00.31.H99").all().map(\.action)
            #expect(Set(actions) == ["unit.create", "unit.update"])
            // The ward's leader manages no units, and nobody outside the ward reaches it.
            let leader = egov.browser()
            #expect(try await leader.signIn("chutich.benthuy").status == .seeOther)
            try await leader.get("/admin/units/000.00.31.H99")
            #expect(!leader.lastPage.contains("Thêm đơn vị trực thuộc"))
            let refused = try await leader.post("/admin/units/000.00.31.H99/children",
                                                form: ["code": "003.00.31.H99", "type": "division", "name": "Phòng Kinh tế"])
            #expect(refused.status == .forbidden)
        }
    }
}
