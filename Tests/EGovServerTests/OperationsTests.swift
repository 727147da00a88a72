@testable import EGovServer
import Foundation
import Testing
import VaporTesting

@Suite("Operations endpoints")
struct OperationsTests {
    @Test("health, readiness and Prometheus metrics answer", arguments: TestDatabase.enabled)
    func healthReadyMetrics(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // MUT
            let health = try await egov.send(.GET, "/healthz")
            let ready = try await egov.send(.GET, "/readyz")
            let metrics = try await egov.send(.GET, "/metrics")
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
}
