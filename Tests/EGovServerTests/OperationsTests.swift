@testable import EGovServer
import Foundation
import Fluent
import EGovPlatform
import Testing
import Vapor
import VaporTesting

@Suite("Operations endpoints")
struct OperationsTests {
    static let metricsToken = "metrics-token-of-the-test-0123456789"

    @Test("health, readiness and Prometheus metrics answer; metrics only from this machine or with the token",
          arguments: TestDatabase.enabled)
    func healthReadyMetrics(database: TestDatabase) async throws {
        try await TestInstallation.with(database, configure: { $0.metricsToken = Self.metricsToken }) { egov in
            // MUT
            let health = try await egov.send(.GET, "/healthz")
            let ready = try await egov.send(.GET, "/readyz")
            // In memory there is no peer address: neither loopback nor a proxy.
            let anonymous = try await egov.send(.GET, "/metrics")
            let wrongToken = try await egov.send(.GET, "/metrics", token: "not-the-metrics-token-0123456789")
            let metrics = try await egov.send(.GET, "/metrics", token: Self.metricsToken)
            #expect(anonymous.status == .forbidden)
            #expect(wrongToken.status == .forbidden)
            // validate
            #expect(health.status == .ok)
            #expect(health.body.string.contains(#""status":"ok""#))
            #expect(ready.status == .ok)
            #expect(metrics.status == .ok)
            #expect(metrics.body.string.contains("http_requests_total"))
            #expect(metrics.body.string.contains(#"path="/healthz""#))
            #expect(metrics.body.string.contains("http_request_duration_seconds_bucket"))
        }
    }

    @Test("an unknown API path is a problem+json 404 in Vietnamese", arguments: TestDatabase.enabled)
    func unknownPath(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let response = try await egov.send(.GET, "/api/v1/khong-co")
            #expect(response.status == .notFound)
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(response.body.string.contains("Không tìm thấy"))
        }
    }

    @Test("an unknown page is a Vietnamese 404 page, and the server keeps answering", arguments: TestDatabase.enabled)
    func unknownPage(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // Browsers ask for /favicon.ico by themselves; this once stopped the whole process.
            let response = try await egov.send(.GET, "/favicon.ico", headers: ["Accept": "text/html"])
            #expect(response.status == .notFound)
            #expect(response.body.string.contains("Không tìm thấy trang hoặc tài nguyên yêu cầu."))
            #expect(try await egov.send(.GET, "/healthz").status == .ok)
        }
    }

    @Test("anonymous page views, even the login form, leave no session behind; signing in makes one",
          arguments: TestDatabase.enabled)
    func noSessionForAnonymousViews(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let browser = egov.browser()
            try await browser.get("/")
            try await browser.get("/assets/site.css")
            #expect(try await SessionModel.query(on: egov.app.db).count() == 0)
            try await browser.get("/login")
            for _ in 0..<5 { try await browser.get("/login") }
            #expect(try await SessionModel.query(on: egov.app.db).count() == 0)
            #expect(browser.csrfToken?.isEmpty == false)
            #expect(browser.cookies["egov_session"] == nil)
            _ = try await browser.signIn("admin")
            #expect(try await SessionModel.query(on: egov.app.db).count() == 1)
        }
    }
}
