import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite("Citizens register themselves")
struct RegistrationTests {
    static let validCitizen = #"{"fullName":"Nguyễn Văn An","idNumber":"001090012345","phone":"0912 345 678","email":"an.nguyen@example.vn","password":"matkhau123"}"#

    @Test("a citizen registers over the API and signs in with the ID number or e-mail", arguments: TestDatabase.enabled)
    func registerAndSignIn(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // MUT
            let response = try await egov.send(.POST, "/api/v1/citizens", json: Self.validCitizen)
            // validate
            #expect(response.status == .created)
            #expect(response.body.string.contains(#""kind":"applicant""#))
            _ = try await egov.token("001090012345", password: "matkhau123")
            _ = try await egov.token("An.Nguyen@example.vn", password: "matkhau123")
            // The number is stored only encrypted and hashed.
            let user = try #require(try await UserModel.query(on: egov.app.db).filter(\.$kind == "applicant").first())
            #expect(user.idNumberSealed?.contains("001090012345") == false)
            #expect(try egov.app.egov.personalData.open(try #require(user.idNumberSealed)) == "001090012345")
            #expect(user.phone == "0912345678")
            let again = try await egov.send(.POST, "/api/v1/citizens", json: Self.validCitizen)
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("đã được đăng ký"))
        }
    }

    @Test("bad registration data gets every reason in Vietnamese and stores nothing", arguments: TestDatabase.enabled)
    func badInput(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let before = try await UserModel.query(on: egov.app.db).count()
            // MUT: province code 000 does not exist, phone too short, e-mail without domain, weak password.
            let response = try await egov.send(.POST, "/api/v1/citizens",
                                               json: #"{"fullName":"B","idNumber":"000190012345","phone":"0912","email":"b@","password":"123"}"#)
            // validate
            #expect(response.status == .badRequest)
            let body = response.body.string
            for field in ["fullName", "idNumber", "phone", "email", "password"] { #expect(body.contains(#""field":"\#(field)""#)) }
            #expect(body.contains("không phải mã tỉnh"))
            #expect(try await UserModel.query(on: egov.app.db).count() == before)
            let malformed = try await egov.send(.POST, "/api/v1/citizens", json: #"{"fullName":"B"}"#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.string.contains("Thiếu trường"))
            let notJSON = try await egov.send(.POST, "/api/v1/citizens", json: "{")
            #expect(notJSON.status == .badRequest)
        }
    }

    @Test("the registration form shows errors next to the fields and keeps what was typed", arguments: TestDatabase.enabled)
    func registrationPage(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            try await browser.get("/register")
            let bad = try await browser.post("/register", form: ["fullName": "Trần Thị Bình", "idNumber": "12345", "phone": "0987654321",
                                                                 "email": "binh@example.vn", "password": "matkhau123"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("Số định danh cá nhân phải gồm đúng 12 chữ số."))
            #expect(bad.body.string.contains("Trần Thị Bình"))
            let good = try await browser.post("/register", form: ["fullName": "Trần Thị Bình", "idNumber": "079195000111",
                                                                  "phone": "0987654321", "email": "binh@example.vn", "password": "matkhau123"])
            #expect(good.status == .seeOther)
            #expect(try await browser.signIn("079195000111", password: "matkhau123").status == .seeOther)
        }
    }
}
