import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Signing in: tokens, refresh, lockout, sessions, CSRF")
struct AuthTests {
    @Test("an officer gets a token pair and reads /me with it", arguments: TestDatabase.enabled)
    func tokenAndMe(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // MUT
            let response = try await egov.send(.POST, "/api/v1/auth/token",
                                               json: #"{"username":"chutich.benthuy","password":"\#(TestInstallation.password)"}"#)
            // validate
            #expect(response.status == .ok)
            let pair = try response.content.decode(TokenPair.self)
            #expect(pair.token_type == "Bearer")
            #expect(pair.expires_in == 900)
            let me = try await egov.send(.GET, "/api/v1/me", token: pair.access_token)
            #expect(me.status == .ok)
            let body = me.body.string
            #expect(body.contains(#""username":"chutich.benthuy""#))
            #expect(body.contains(#""unitCode":"000.00.31.H99""#))
            #expect(body.contains(#""position":"leader""#))
        }
    }

    @Test("a refresh token works once and is then revoked", arguments: TestDatabase.enabled)
    func refreshRotates(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let first = try await egov.send(.POST, "/api/v1/auth/token",
                                            json: #"{"username":"lanhdao.snv","password":"\#(TestInstallation.password)"}"#)
            let pair = try first.content.decode(TokenPair.self)
            // MUT
            let refreshed = try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(pair.refresh_token)"}"#)
            let replayed = try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(pair.refresh_token)"}"#)
            // validate
            #expect(refreshed.status == .ok)
            let next = try refreshed.content.decode(TokenPair.self)
            #expect(next.refresh_token != pair.refresh_token)
            #expect(try await egov.send(.GET, "/api/v1/me", token: next.access_token).status == .ok)
            #expect(replayed.status == .unauthorized)
            #expect(replayed.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        }
    }

    @Test("an access token expires after 15 minutes; garbage is refused", arguments: TestDatabase.enabled)
    func expiredToken(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token("lanhdao.snv")
            #expect(try await egov.send(.GET, "/api/v1/me", token: token).status == .ok)
            // MUT
            egov.clock.advance(by: 16 * 60)
            // validate
            #expect(try await egov.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
            #expect(try await egov.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await egov.send(.GET, "/api/v1/me", token: "not-a-token").status == .unauthorized)
        }
    }

    @Test("wrong passwords lock the account with back-off, then it opens again", arguments: TestDatabase.enabled)
    func lockout(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let wrong = #"{"username":"motcua.benthuy","password":"sai-mat-khau-1"}"#
            let right = #"{"username":"motcua.benthuy","password":"\#(TestInstallation.password)"}"#
            // MUT: four failures are plain refusals, the fifth locks for a minute.
            for _ in 1...4 { #expect(try await egov.send(.POST, "/api/v1/auth/token", json: wrong).status == .unauthorized) }
            let fifth = try await egov.send(.POST, "/api/v1/auth/token", json: wrong)
            // validate
            #expect(fifth.status == .tooManyRequests)
            let locked = try await egov.send(.POST, "/api/v1/auth/token", json: right)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers.first(name: .retryAfter) == "60")
            #expect(locked.body.string.contains("Đăng nhập sai quá nhiều lần"))
            egov.clock.advance(by: 61)
            // A sixth failure after the lock doubles it to two minutes.
            #expect(try await egov.send(.POST, "/api/v1/auth/token", json: wrong).status == .tooManyRequests)
            egov.clock.advance(by: 61)
            #expect(try await egov.send(.POST, "/api/v1/auth/token", json: right).status == .tooManyRequests)
            egov.clock.advance(by: 60)
            #expect(try await egov.send(.POST, "/api/v1/auth/token", json: right).status == .ok)
            let user = try await UserModel.query(on: egov.app.db).filter(\.$username == "motcua.benthuy").first()
            #expect(user?.failedLogins == 0)
            let events = try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "auth.locked").count()
            #expect(events == 2)
        }
    }

    @Test("a form posted without the CSRF token is refused, with it the officer signs in", arguments: TestDatabase.enabled)
    func csrf(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            try await browser.get("/login")
            // MUT
            let forged = try await browser.post("/login", form: ["username": "lanhdao.snv", "password": TestInstallation.password],
                                                csrf: false)
            // validate
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("Biểu mẫu đã hết hạn"))
            try await browser.get("/login")
            let signedIn = try await browser.post("/login", form: ["username": "lanhdao.snv", "password": TestInstallation.password])
            #expect(signedIn.status == .seeOther)
            let home = try await browser.get("/")
            #expect(home.body.string.contains("Trần Văn Minh"))
            // Signing out is a form too: without the token it is refused.
            #expect(try await browser.post("/logout", form: [:], csrf: false).status == .forbidden)
            #expect(try await browser.post("/logout", form: [:]).status == .seeOther)
            #expect(try await browser.get("/admin/units").status == .seeOther)
        }
    }

    @Test("a wrong password on the login page says so in Vietnamese", arguments: TestDatabase.enabled)
    func loginPageError(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            let response = try await browser.signIn("lanhdao.snv", password: "khong-dung-1")
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(response.body.string.contains(#"lang="vi""#))
        }
    }
}
