import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import VaporTesting

/// Bến Thủy (000.00.31.H99) and Vân Sơn (000.00.32.H99) are two wards of the demo province.
@Suite("Unit-subtree scoping")
struct ScopingTests {
    static let benThuy = "000.00.31.H99"
    static let vanSon = "000.00.32.H99"

    @Test("a commune officer cannot read another commune over the API", arguments: TestDatabase.enabled)
    func apiAcrossCommunes(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token("chutich.benthuy")
            // MUT + validate
            #expect(try await egov.send(.GET, "/api/v1/units/\(Self.benThuy)", token: token).status == .ok)
            let other = try await egov.send(.GET, "/api/v1/units/\(Self.vanSon)", token: token)
            #expect(other.status == .forbidden)
            #expect(other.body.string.contains("Bạn không có quyền"))
            #expect(try await egov.send(.GET, "/api/v1/users?unit=\(Self.vanSon)", token: token).status == .forbidden)
            #expect(try await egov.send(.GET, "/api/v1/users/chutich.vanson", token: token).status == .forbidden)
            #expect(try await egov.send(.GET, "/api/v1/users/motcua.benthuy", token: token).status == .ok)

            // The list holds only the ward and its counter.
            let list = try await egov.send(.GET, "/api/v1/units", token: token)
            let page = try list.content.decode(PageDTO<UnitDTO>.self)
            #expect(page.total == 2)
            #expect(Set(page.items.map(\.code)) == [Self.benThuy, "001.00.31.H99"])
            #expect(page.items.first { $0.code == "001.00.31.H99" }?.parentCode == Self.benThuy)
        }
    }

    @Test("a commune administrator can create officers only in its own commune", arguments: TestDatabase.enabled)
    func createAcrossCommunes(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try await egov.grant("chutich.benthuy", .admin, at: Self.benThuy)
            let token = try await egov.token("chutich.benthuy")
            let body = #"{"username":"chuyenvien2.%@","fullName":"Lê Thị Hằng","unitCode":"%@","positions":["specialist"]}"#
            // MUT
            let elsewhere = try await egov.send(.POST, "/api/v1/users", token: token,
                                                json: String(format: body, "vanson", Self.vanSon))
            let own = try await egov.send(.POST, "/api/v1/users", token: token, json: String(format: body, "benthuy", Self.benThuy))
            // validate
            #expect(elsewhere.status == .forbidden)
            #expect(own.status == .created)
            let created = try own.content.decode(CreatedUserDTO.self)
            #expect(created.user.positions == [PositionDTO(unitCode: Self.benThuy, position: "specialist")])
            #expect(created.initialPassword?.count == 16)
            #expect(try await egov.token("chuyenvien2.benthuy", password: try #require(created.initialPassword)).isEmpty == false)
        }
    }

    @Test("the province administrator sees every unit, paged", arguments: TestDatabase.enabled)
    func provinceSeesAll(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token("quantri.tinh")
            let first = try await egov.send(.GET, "/api/v1/units?limit=20", token: token).content.decode(PageDTO<UnitDTO>.self)
            let last = try await egov.send(.GET, "/api/v1/units?limit=20&offset=80", token: token).content.decode(PageDTO<UnitDTO>.self)
            #expect(first.total >= 80)
            #expect(first.items.count == 20)
            #expect(first.items.first?.code == "000.00.00.H99")
            #expect(first.items.first?.parentCode == nil)
            #expect(last.items.count == first.total - 80)
            let bad = try await egov.send(.GET, "/api/v1/units?limit=5000", token: token)
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("“limit” phải từ 1 đến 200"))
        }
    }

    @Test("a commune officer cannot open another commune's admin page", arguments: TestDatabase.enabled)
    func webAcrossCommunes(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            #expect(try await browser.signIn("chutich.benthuy").status == .seeOther)
            // MUT + validate
            let own = try await browser.get("/admin/units/\(Self.benThuy)")
            #expect(own.status == .ok)
            #expect(own.body.string.contains("Bến Thủy"))
            let other = try await browser.get("/admin/units/\(Self.vanSon)")
            #expect(other.status == .forbidden)
            #expect(other.body.string.contains("Không có quyền"))
            let users = try await browser.get("/admin/users?unit=\(Self.vanSon)")
            #expect(users.status == .forbidden)
            let list = try await browser.get("/admin/units")
            #expect(list.status == .ok)
            #expect(!list.body.string.contains("Vân Sơn"))
        }
    }

    @Test("a citizen has no unit to read", arguments: TestDatabase.enabled)
    func citizenHasNoScope(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let registered = try await egov.send(.POST, "/api/v1/citizens", json: RegistrationTests.validCitizen)
            #expect(registered.status == .created)
            let token = try await egov.token("001090012345", password: "matkhau123")
            #expect(try await egov.send(.GET, "/api/v1/units", token: token).status == .forbidden)
            #expect(try await egov.send(.GET, "/api/v1/units/\(Self.benThuy)", token: token).status == .forbidden)
        }
    }
}
