import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus).
struct OperationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in HealthDTO(status: "ok") }
        routes.get("readyz", use: ready)
        routes.get("metrics", use: metrics)
    }

    func ready(_ req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.serviceUnavailable) }
            try await sql.raw("SELECT 1").run()
            return try await HealthDTO(status: "ready").encodeResponse(for: req)
        } catch {
            req.logger.warning("database not reachable", metadata: ["error": "\(String(reflecting: error))"])
            return try await HealthDTO(status: "database unreachable").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    /// From this machine (after trusted-proxy resolution, so a proxy on loopback does not open it to
    /// the world), or with `Authorization: Bearer <EGOV_METRICS_TOKEN>`.
    func metrics(_ req: Request) async throws -> Response {
        let tokenMatches = req.egov.configuration.metricsToken.map { expected in
            req.headers.bearerAuthorization.map { ConstantTime.equal($0.token, expected) } ?? false
        } ?? false
        guard tokenMatches || TrustedProxies.isLoopback(req.clientAddress) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Số liệu vận hành chỉ xem được từ máy chủ hoặc với mã truy cập.",
                                                           en: "Metrics are available from this machine or with the metrics token."))
        }
        var buffer: [UInt8] = []
        MetricsSetup.registry.emit(into: &buffer)
        return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(data: Data(buffer)))
    }
}

struct HealthDTO: Content {
    let status: String
}

/// One Prometheus registry per process: swift-metrics can be bootstrapped only once, so every
/// application in the process (tests start many) shares it.
enum MetricsSetup {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func bootstrap() { _ = registry }
}
