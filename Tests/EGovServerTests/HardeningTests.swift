import EGovCore
import EGovPlatform
@testable import EGovServer
import EGovWeb
import Fluent
import Foundation
@testable import PublicServices
import Testing
import Vapor
import VaporTesting

/// Issue 11: what a stranger (or an officer outside their scope) sends can neither crash the server,
/// nor hijack accounts or dossiers, nor charge a fee twice. The same attacks run from outside, over
/// real sockets, in `Tests/hostile/`.
@Suite("Hardening: numbers, markup, redirects, scope, identity")
struct HardeningTests {
    static let guardianship = "1.004837"
    static let benThuy = "000.00.31.H99"
    static let guardianshipFiles = [("van-ban-cu-giam-ho", "van-ban-cu.pdf", SampleFiles.pdf)]

    @Test("numbers from outside are bounded where they are parsed: 400, never a trap", arguments: TestDatabase.enabled)
    func numbers(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let admin = try await egov.login("quantri.tinh")
            for query in ["offset=9223372036854775807", "offset=99999999999999999999", "offset=-1", "offset=10000001", "limit=0",
                          "limit=9223372036854775807", "limit=abc", "offset=1e3"] {
                let response = try await egov.send(.GET, "/api/v1/procedures?\(query)")
                #expect(response.status == .badRequest, "\(query): \(response.status)")
                #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let units = try await egov.send(.GET, "/api/v1/units?\(query)", token: admin)
                #expect(units.status == .badRequest, "units \(query): \(units.status)")
            }
            let deepest = try await egov.send(.GET, "/api/v1/procedures?offset=10000000&limit=200")
            #expect(deepest.status == .ok)
            for page in ["9223372036854775807", "0", "-5", "100001", "x"] {
                let catalogue = try await egov.send(.GET, "/thu-tuc?page=\(page)", headers: ["Accept": "text/html"])
                #expect(catalogue.status == .badRequest, "catalogue page \(page): \(catalogue.status)")
            }
            let stats = try await egov.send(.GET, "/api/v1/stats/dossiers?from=0001-01-01", token: admin)
            #expect(stats.status == .badRequest && stats.body.string.contains("YYYY-MM-DD"))
            // Fees: never above ten billion đồng, never negative, never a sum past it.
            let procedure = CatalogueEditingTests.newProcedure
            for fees in [#"[{"name":"Lệ phí","amount":9223372036854775807}]"#, #"[{"name":"Lệ phí","amount":-1}]"#,
                         #"[{"name":"A","amount":6000000000},{"name":"B","amount":6000000000}]"#] {
                let body = procedure.replacingOccurrences(of: #"[{"name":"Lệ phí","amount":10000}]"#, with: fees)
                let saved = try await egov.send(.PUT, "/api/v1/procedures/9.000002", token: admin, json: body)
                #expect(saved.status == .badRequest, "\(fees): \(saved.status) \(saved.body.string)")
            }
            #expect(try await egov.send(.GET, "/healthz").status == .ok)
        }
    }

    @Test("search terms, codes and next parameters are escaped inside attributes; pages carry the CSP and friends",
          arguments: TestDatabase.enabled)
    func markup(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let payload = #""><script>alert(1)</script><img src=x onerror="alert(2)"#
            let encoded = try #require(payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            for path in ["/thu-tuc?q=\(encoded)", "/tra-cuu?code=\(encoded)", "/login?next=\(encoded)", "/thu-tuc?unit=\(encoded)&field=\(encoded)"] {
                let page = try await egov.send(.GET, path, headers: ["Accept": "text/html"])
                let html = page.body.string
                #expect(!html.contains("<script>alert"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
                let csp = try #require(page.headers.first(name: "Content-Security-Policy"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(page.headers.first(name: "Referrer-Policy") != nil)
                #expect(page.headers.first(name: "Strict-Transport-Security") == nil)
                // No inline script or style anywhere in a page.
                #expect(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style=") && !html.contains("onclick="))
            }
            // Stored: a unit's name with markup, shown on the administration pages.
            let unit = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == Self.benThuy).first())
            unit.name = #"x" autofocus onfocus="alert(1)"#
            try await unit.save(on: egov.app.db)
            let admin = egov.browser()
            _ = try await admin.signIn("quantri.tinh")
            for path in ["/admin/units", "/admin/units/\(Self.benThuy)", "/thu-tuc"] {
                let html = try await admin.get(path).body.string
                // The name may show as text; it must never open an attribute of its own inside a tag.
                #expect(html.range(of: #"<[^>]*\sonfocus=""#, options: .regularExpression) == nil, "\(path)")
            }
        }
    }

    @Test("HSTS only behind HTTPS (EGOV_SECURE_COOKIES=1); a header with CR/LF never leaves the server", arguments: TestDatabase.enabled)
    func transportHeaders(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.sessionCookieSecure = true }) { egov in
            let page = try await egov.send(.GET, "/")
            #expect(page.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true)
        }
        #expect(HeaderValidation.isValid(["Location": "/a?b=c", "Set-Cookie": "x=1; Path=/"]))
        #expect(!HeaderValidation.isValid(["Location": "/\r\nSet-Cookie: pwned=1"]))
        #expect(!HeaderValidation.isValid(["Location": "/\nx"]))
        #expect(!HeaderValidation.isValid(["Bad Name": "x"]))
    }

    @Test("next and back only ever lead to a path of this site", arguments: TestDatabase.enabled)
    func redirects(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            for back in ["/%0d%0aSet-Cookie:%20pwned=1", "/%0aSet-Cookie:pwned=1", "//evil.example/", "/%09/evil.example", "/%5cevil.example",
                         "https://evil.example/", "javascript:alert(1)", "%2F%2Fevil.example", "/\u{3000}x"] {
                let response = try await egov.send(.GET, "/lang/en?back=\(back)")
                let location = response.headers.first(name: .location) ?? ""
                #expect(response.status == .seeOther || response.status.code / 100 == 3)
                #expect(location == "/", "\(back) → \(location)")
                #expect(!response.headers[.setCookie].contains { $0.contains("pwned") })
            }
            let fine = try await egov.send(.GET, "/lang/en?back=/thu-tuc%3Fq%3Dkhai%2Bsinh")
            #expect(fine.headers.first(name: .location) == "/thu-tuc?q=khai+sinh")
            #expect(SafeRedirect.path("/ho-so?page=2") == "/ho-so?page=2")
            for bad in ["//x", "/\\x", "/\tx", "/a\r\nb", "x", "", "/\u{0}"] { #expect(SafeRedirect.path(bad) == nil, "\(bad)") }
        }
    }

    @Test("catalogue and unit-type changes need the permission where they take effect", arguments: TestDatabase.enabled)
    func scope(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // A commune's administrator (Bến Thủy) …
            try await egov.grant("chutich.benthuy", .admin, at: Self.benThuy)
            let communeAdmin = try await egov.login("chutich.benthuy")
            // … may not change a province-level procedure (or its fee), nor one every commune shares …
            let province = try await egov.send(.GET, "/api/v1/procedures/2.001610").body.string
            #expect(province.contains("000.00.02.H99"))
            let edit = CatalogueEditingTests.newProcedure.replacingOccurrences(of: #""level":"commune","units":"commune""#,
                                                                                with: #""level":"province","units":["000.00.02.H99"]"#)
            let provinceEdit = try await egov.send(.PUT, "/api/v1/procedures/2.001610", token: communeAdmin, json: edit)
            #expect(provinceEdit.status == .forbidden, "\(provinceEdit.body.string)")
            let shared = try await egov.send(.PUT, "/api/v1/procedures/\(Self.guardianship)", token: communeAdmin,
                                             json: CatalogueEditingTests.newProcedure)
            #expect(shared.status == .forbidden)
            #expect(try await egov.send(.DELETE, "/api/v1/procedures/2.001610", token: communeAdmin).status == .forbidden)
            // … nor turn their own commune into a "counter", which would serve (and read) the province's subtree.
            let browser = egov.browser()
            _ = try await browser.signIn("chutich.benthuy")
            _ = try await browser.get("/admin/units/\(Self.benThuy)")
            let retype = try await browser.post("/admin/units/\(Self.benThuy)", form: [
                "code": Self.benThuy, "type": "counter", "name": "UBND phường Bến Thủy", "shortName": "UBND Bến Thủy"])
            #expect(retype.status == .forbidden)
            let unchanged = try await UnitModel.query(on: egov.app.db).filter(\.$code == Self.benThuy).first()
            #expect(unchanged?.type == "commune")
            // Renaming stays theirs.
            _ = try await browser.get("/admin/units/\(Self.benThuy)")
            let rename = try await browser.post("/admin/units/\(Self.benThuy)", form: [
                "code": Self.benThuy, "type": "commune", "name": "UBND phường Bến Thủy mới", "shortName": "UBND Bến Thủy"])
            #expect(rename.status == .ok)
            // The province's administrator may do both.
            let admin = try await egov.login("quantri.tinh")
            #expect(try await egov.send(.PUT, "/api/v1/procedures/9.000003", token: admin, json: CatalogueEditingTests.newProcedure).status
                    == .created)
        }
    }

    @Test("a counter dossier reaches an online account only when its identity was checked; online, only one's own number",
          arguments: TestDatabase.enabled)
    func identity(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            // Someone registers Trần Văn Bình's number before he ever comes to the counter.
            let squatter = try await egov.citizen(idNumber: "079088001234", email: "squatter@example.com")
            let applicant = #"{"fullName":"Trần Văn Bình","idNumber":"079088001234","phone":"0987654321"}"#
            let filed = try await egov.submit("motcua.benthuy", procedure: Self.guardianship, unit: Self.benThuy,
                                              attachments: Self.guardianshipFiles, applicant: applicant)
            #expect(filed.status == .created, "\(filed.body.string)")
            let code = try filed.content.decode(DossierJSON.self).code
            #expect(try await egov.get("/api/v1/dossiers/\(code)", as: squatter).status == .notFound)
            let list = try await egov.get("/api/v1/dossiers", as: squatter).content.decode(PageJSON<SummaryJSON>.self)
            #expect(list.total == 0)
            // The officer checks the ID card of the real holder (here: the account holder is the holder).
            let verified = #"{"fullName":"Trần Văn Bình","idNumber":"079088001234","phone":"0987654321","identityChecked":true}"#
            let second = try await egov.submit("motcua.benthuy", procedure: Self.guardianship, unit: Self.benThuy,
                                               attachments: Self.guardianshipFiles, applicant: verified)
            let secondCode = try second.content.decode(DossierJSON.self).code
            #expect(try await egov.get("/api/v1/dossiers/\(secondCode)", as: squatter).status == .ok)
            // Online, nobody files under someone else's number; nothing is stored.
            let citizen = try await egov.citizen()
            let before = try await DossierModel.query(on: egov.app.db).count()
            let other = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles,
                                              applicant: #"{"idNumber":"079088001234"}"#)
            #expect(other.status == .badRequest && other.body.string.contains("chính chủ"))
            #expect(try await DossierModel.query(on: egov.app.db).count() == before)
            let own = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles,
                                            applicant: #"{"idNumber":"\#(TestInstallation.citizenID)"}"#)
            #expect(own.status == .created)
        }
    }
}

@Suite("Hardening: races and resources")
struct HardeningRaceTests {
    @Test("ten wrong passwords sent together all count: the account locks", arguments: TestDatabase.enabled)
    func parallelGuesses(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await egov.send(.POST, "/api/v1/auth/token", json: #"{"username":"quantri.tinh","password":"sai-\#(index)"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
            let user = try #require(try await UserModel.query(on: egov.app.db).filter(\.$username == "quantri.tinh").first())
            // Each guess either counted or found the account already locked: never a lost update.
            #expect(user.failedLogins >= 5)
            let right = try await egov.send(.POST, "/api/v1/auth/token",
                                            json: #"{"username":"quantri.tinh","password":"\#(TestInstallation.password)"}"#)
            #expect(right.status == .tooManyRequests && right.headers.first(name: .retryAfter) != nil)
        }
    }

    @Test("sign-in, token and registration requests are limited per address, whatever X-Forwarded-For says",
          arguments: TestDatabase.enabled)
    func perAddressLimit(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.authRateLimitPerMinute = 5 }) { egov in
            var statuses: [HTTPStatus] = []
            for index in 0..<8 {
                let response = try await egov.send(.POST, "/api/v1/auth/token", json: #"{"username":"x\#(index)","password":"y"}"#,
                                                   headers: ["X-Forwarded-For": "203.0.113.\(index)"])
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    #expect(Int(response.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
                    #expect(response.body.string.contains("quá nhiều yêu cầu"))
                }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(3).allSatisfy { $0 == .tooManyRequests })
            #expect(try await egov.send(.POST, "/api/v1/citizens", json: "{}").status == .tooManyRequests)
            // A minute later the address may try again.
            egov.clock.date = egov.clock.date.addingTimeInterval(61)
            #expect(try await egov.send(.POST, "/api/v1/auth/token", json: #"{"username":"x","password":"y"}"#).status == .unauthorized)
        }
    }

    @Test("a refresh token works once even when sent eight times at once; a replay ends its whole family",
          arguments: TestDatabase.enabled)
    func refreshRotation(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let first = try await egov.send(.POST, "/api/v1/auth/token",
                                            json: #"{"username":"quantri.tinh","password":"\#(TestInstallation.password)"}"#)
                .content.decode(TokenPair.self)
            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first.refresh_token)"}"#)
                        return (response.status, try? response.content.decode(TokenPair.self).refresh_token)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = statuses.filter { $0.0 == .ok }
            #expect(winners.count == 1)
            #expect(statuses.filter { $0.0 == .unauthorized }.count == 7)
            let next = try #require(winners.first?.1)
            // The first token again (a thief's copy): refused, and the token it was rotated into dies with it.
            #expect(try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first.refresh_token)"}"#).status
                    == .unauthorized)
            #expect(try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(next)"}"#).status == .unauthorized)
        }
    }

    @Test("two registrations with one ID number at once: one 201, the other 409, never 500", arguments: TestDatabase.enabled)
    func uniqueRace(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await egov.send(.POST, "/api/v1/citizens", json: #"""
                            {"fullName":"Lê Văn Tám","idNumber":"001090067890","phone":"0912000111","email":"tam\#(index)@example.com","password":"MatKhau2024"}
                            """#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
        }
    }

    @Test("changing a password ends every session and token of the account", arguments: TestDatabase.enabled)
    func passwordChange(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let citizen = try await egov.citizen()
            let pair = try await egov.send(.POST, "/api/v1/auth/token",
                                           json: #"{"username":"\#(citizen)","password":"\#(TestInstallation.citizenPassword)"}"#)
                .content.decode(TokenPair.self)
            let browser = egov.browser()
            _ = try await browser.signIn(citizen, password: TestInstallation.citizenPassword)
            #expect(try await browser.get("/").body.string.contains("Nguyễn Thị Thu Hương"))
            let wrong = try await egov.send(.POST, "/api/v1/me/password", token: pair.access_token,
                                            json: #"{"currentPassword":"khong-dung-1","newPassword":"MatKhauMoi2026"}"#)
            #expect(wrong.status == .badRequest && wrong.body.string.contains("Mật khẩu hiện tại không đúng"))
            let weak = try await egov.send(.POST, "/api/v1/me/password", token: pair.access_token,
                                           json: #"{"currentPassword":"\#(TestInstallation.citizenPassword)","newPassword":"abc"}"#)
            #expect(weak.status == .badRequest)
            let changed = try await egov.send(.POST, "/api/v1/me/password", token: pair.access_token,
                                              json: #"{"currentPassword":"\#(TestInstallation.citizenPassword)","newPassword":"MatKhauMoi2026"}"#)
            #expect(changed.status == .noContent)
            // The access token, the refresh token and the web session of before are all dead.
            #expect(try await egov.send(.GET, "/api/v1/me", token: pair.access_token).status == .unauthorized)
            #expect(try await egov.send(.POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(pair.refresh_token)"}"#).status
                    == .unauthorized)
            #expect(!(try await browser.get("/").body.string.contains("Nguyễn Thị Thu Hương")))
            #expect(try await SessionModel.query(on: egov.app.db).count() == 0)
            // The old password no longer signs in; the new one does.
            #expect(try await egov.send(.POST, "/api/v1/auth/token",
                                        json: #"{"username":"\#(citizen)","password":"\#(TestInstallation.citizenPassword)"}"#).status
                    == .unauthorized)
            #expect(try await egov.send(.POST, "/api/v1/auth/token", json: #"{"username":"\#(citizen)","password":"MatKhauMoi2026"}"#)
                .status == .ok)
        }
    }

    @Test("sessions end on the server after two idle hours; the purge removes the rows", arguments: TestDatabase.enabled)
    func sessionExpiry(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            _ = try await browser.signIn("quantri.tinh")
            #expect(try await browser.get("/admin/units").status == .ok)
            egov.clock.date = egov.clock.date.addingTimeInterval(2 * 3600 + 1)
            let after = try await browser.get("/admin/units")
            #expect(after.status != .ok)
            _ = try await browser.signIn("quantri.tinh")
            egov.clock.date = egov.clock.date.addingTimeInterval(3 * 3600)
            try await SessionStore.purge(now: egov.clock.date, idleTimeout: egov.configuration.sessionIdleTimeout, on: egov.app.db)
            #expect(try await SessionModel.query(on: egov.app.db).count() == 0)
        }
    }

    @Test("a web form post without the CSRF cookie is refused before its body is read; anonymous bodies are small",
          arguments: TestDatabase.enabled)
    func csrfBeforeBody(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let big = String(repeating: "a", count: 200_000)
            let noCookie = try await egov.send(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(noCookie.status == .forbidden)
            let browser = egov.browser()
            _ = try await browser.get("/login")
            let huge = try await browser.post("/login", form: ["username": big, "password": "x"])
            #expect(huge.status == .payloadTooLarge)
        }
    }

    @Test("without a gateway or the sandbox, online payment answers 503 and the sandbox does not exist", arguments: TestDatabase.enabled)
    func noSandbox(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.payment.sandboxEnabled = false }) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let created = try await egov.submit(citizen, procedure: PaymentTests.enterprise, unit: PaymentTests.finance, attachments: [])
            let code = try created.content.decode(DossierJSON.self).code
            let pay = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: try await egov.login(citizen),
                                          json: #"{"method":"online"}"#)
            #expect(pay.status == .serviceUnavailable && pay.body.string.contains("Một cửa"))
            #expect(try await egov.send(.GET, PaymentGateway.sandboxPath).status == .notFound)
        }
    }

    @Test("one dossier's fee is settled once: one pending order at a time; cash after the IPN is refused, an IPN after cash is kept for refund",
          arguments: TestDatabase.enabled)
    func paymentsOnce(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let created = try await egov.submit(citizen, procedure: PaymentTests.enterprise, unit: PaymentTests.finance, attachments: [])
            let code = try created.content.decode(DossierJSON.self).code
            let token = try await egov.login(citizen)
            let refs = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let response = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: token, json: #"{"method":"online"}"#)
                        return (response.status, try? response.content.decode(PaymentTests.PaymentJSON.self).txnRef)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(refs.allSatisfy { $0.0 == .created || $0.0 == .conflict }, "\(refs.map { $0.0 })")
            let orders = Set(refs.compactMap(\.1))
            #expect(orders.count == 1)
            let txnRef = try #require(orders.first)
            #expect(try await PaymentModel.query(on: egov.app.db).count() == 1)
            // Cash at the counter first; the gateway's IPN for the open order arrives afterwards.
            let officer = try await egov.login("motcua.quay2")
            let cash = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: officer, json: #"{"method":"cash"}"#)
            #expect(cash.status == .created, "\(cash.body.string)")
            let ipn = try await egov.send(.GET, "/api/v1/payments/vnpay/ipn?" + PaymentTests.callback(egov, txnRef: txnRef, amount: 150_000))
            #expect(ipn.body.string.contains(#""RspCode":"00""#))
            let payments = try await PaymentModel.query(on: egov.app.db).all()
            #expect(payments.filter { $0.status == "paid" }.count == 1)
            #expect(payments.filter { $0.status == "refund-due" }.count == 1)
            // And cash twice is refused.
            let again = try await egov.send(.POST, "/api/v1/dossiers/\(code)/payments", token: officer, json: #"{"method":"cash"}"#)
            #expect(again.status == .conflict)
        }
    }

    @Test("a refused submission takes back the bytes it stored; a damaged blob is rewritten, not trusted", arguments: TestDatabase.enabled)
    func files(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let unique = SampleFiles.pdf("refused-\(UUID().uuidString)")
            let sha = Digests.sha256Hex(unique)
            // One good attachment and one unknown component: refused, and the good file's bytes go too.
            let refused = try await egov.submit(citizen, procedure: HardeningTests.guardianship, unit: HardeningTests.benThuy,
                                                attachments: [("van-ban-cu-giam-ho", "a.pdf", unique), ("khong-co", "b.pdf", SampleFiles.pdf("b"))])
            #expect(refused.status == .badRequest)
            let files = egov.app.egov.files
            #expect(!FileManager.default.fileExists(atPath: files.path(for: sha).path))
            // A blob whose bytes were damaged on disk is replaced when the same content comes again.
            let stored = try files.write(unique)
            #expect(stored.created)
            try Data("torn".utf8).write(to: files.path(for: sha))
            let again = try files.write(unique)
            #expect(!again.created)
            #expect(try files.read(sha256: sha) == unique)
        }
    }

    @Test("SQLite: twenty registrations at once all succeed (busy_timeout on every pooled connection)")
    func sqliteConcurrency() async throws {
        guard TestDatabase.enabled.contains(.sqlite) else { return }
        try await TestInstallation.with(.sqlite) { egov in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let id = String(format: "0010900%05d", 70_000 + index)
                        return try await egov.send(.POST, "/api/v1/citizens", json: #"""
                            {"fullName":"Người Thử \#(index)","idNumber":"\#(id)","phone":"0912000111","email":"nguoi\#(index)@example.com","password":"MatKhau2024"}
                            """#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
        }
    }
}
