@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite("Web conventions")
struct WebConventionTests {
    @Test("pages are Vietnamese for a browser that asks for English; the API answers in English on request; the switch decides",
          arguments: TestDatabase.enabled)
    func language(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let page = try await egov.send(.GET, "/", headers: ["Accept-Language": "en-US,en;q=0.9"])
            #expect(page.body.string.contains(#"<html lang="vi">"#))
            let api = try await egov.send(.GET, "/api/v1/khong-co", headers: ["Accept-Language": "en-US,en;q=0.9"])
            #expect(api.body.string.contains("Not found"))
            let chosen = try await egov.send(.GET, "/", headers: ["Accept-Language": "vi", "Cookie": "lang=en"])
            #expect(chosen.body.string.contains(#"<html lang="en">"#))
        }
    }

    @Test("the locality's emblem has a text alternative", arguments: TestDatabase.enabled)
    func emblemAlt(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let html = try await egov.send(.GET, "/").body.string
            let image = try #require(html.range(of: #"<img src="/assets/emblem"[^>]*>"#, options: .regularExpression))
            #expect(html[image].contains(#"alt="Biểu trưng "#), "\(html[image])")
        }
    }
}
