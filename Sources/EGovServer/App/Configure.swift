import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import SQLKit
import Vapor

/// Options of one running application that are not part of the installation's configuration.
public struct RuntimeOptions: Sendable {
    public var clock: EGovClock
    /// Start the audit sealer and other background jobs (`serve` does; tests drive them by hand).
    public var backgroundJobs: Bool

    public init(clock: EGovClock = .live, backgroundJobs: Bool = false) {
        self.clock = clock
        self.backgroundJobs = backgroundJobs
    }
}

/// Sets up an application: database, migrations, services, middleware, routes, and the modules this
/// build ships (the `egov` executable names them; the server knows none by itself).
public func configure(_ app: Application, configuration: EGovConfiguration, modules: [any EGovModule],
                      options: RuntimeOptions = .init()) async throws {
    try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: configuration.filesDirectory, withIntermediateDirectories: true)

    // Blocking work (SQLite statements, bcrypt) runs on this pool; NIO's default has one thread per
    // core, so on two cores two password checks would stall every SQLite query behind them.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 2))
    try configureDatabase(app, configuration: configuration)

    let secrets = try Secrets.load(configuration: configuration)
    var services = PlatformServices(configuration: configuration, secrets: secrets, clock: options.clock, modules: modules,
                                    threadPool: app.threadPool)
    if let smtp = configuration.mail.smtp {
        services.transports.mail = SMTPMailer(configuration: smtp, eventLoopGroup: app.eventLoopGroup)
    }
    if let url = configuration.sms.url {
        services.transports.sms = HTTPSMSProvider(url: url, token: configuration.sms.token, client: app.client)
    }
    if let url = configuration.timeStampAuthorityURL {
        guard ExternalTimeStampAuthority.isUsable(url) else {
            throw ConfigurationError("EGOV_TSA_URL must be an http:// or https:// address of an RFC 3161 time-stamping authority (got \(url.prefix(40)))")
        }
        services.signatures.externalTSA = ExternalTimeStampAuthority(url: url, client: app.http.client.shared)
    }
    app.egov = services
    await app.jwt.keys.add(hmac: HMACKey(from: secrets.tokenSigningKey), digestAlgorithm: .sha256)

    app.migrations.add(PlatformMigrations.all)
    for module in modules { app.migrations.add(module.migrations()) }
    if configuration.autoMigrate { try await app.autoMigrate() }

    // Sessions live in `core_sessions`, expire on the server and end with a password change.
    app.sessions.use { _ in SessionStore() }
    app.sessions.configuration.cookieName = "egov_session"
    app.sessions.configuration.cookieFactory = { sessionID in
        HTTPCookies.Value(string: sessionID.string, maxAge: Int(configuration.sessionMaxAge), path: "/",
                          isSecure: configuration.sessionCookieSecure, isHTTPOnly: true, sameSite: .lax)
    }

    MetricsSetup.bootstrap()
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders(strictTransportSecurity: configuration.sessionCookieSecure))
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ErrorPresenter())
    app.http.server.configuration.hostname = configuration.host
    app.http.server.configuration.port = configuration.port
    app.routes.defaultMaxBodySize = "20mb"

    try routes(app)
    let moduleRoutes = ModuleRoutes(api: app.apiRoutes, web: app.webRoutes)
    for module in modules { try await module.boot(app, routes: moduleRoutes) }

    if options.backgroundJobs {
        app.lifecycle.use(JobRunner(jobs: PeriodicJob.platform(configuration) + modules.flatMap { $0.periodicJobs() }))
    }
}

private func configureDatabase(_ app: Application, configuration: EGovConfiguration) throws {
    if let url = configuration.databaseURL {
        guard configuration.usesPostgres else {
            throw ConfigurationError("DATABASE_URL must start with postgres:// (got \(url.prefix(12))…); leave it unset for SQLite")
        }
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = ["public"]
        app.databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: configuration.maxConnectionsPerEventLoop, connectionPoolTimeout: .seconds(30)), as: .psql)
    } else {
        app.databases.use(.sqlite(.file(configuration.sqliteFile.path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30)),
                          as: .sqlite)
        // WAL lets readers go on while one writer commits; busy_timeout queues writers instead of failing.
        app.lifecycle.use(SQLitePragmas(eventLoops: app.eventLoopGroup))
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Applies the SQLite pragmas on boot. `busy_timeout` belongs to a connection, not to the file, and
/// the SQLite driver keeps one pooled connection per event loop: each of them gets it (sqlite-nio's own
/// busy handler retries at once, without waiting, and the journal mode is set once for the file).
struct SQLitePragmas: LifecycleHandler {
    static let busyTimeoutMilliseconds = 10_000
    let eventLoops: any EventLoopGroup

    func didBootAsync(_ app: Application) async throws {
        guard let sql = app.db(.sqlite) as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for loop in eventLoops.makeIterator() {
            guard let connection = app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase else { continue }
            try await connection.raw("PRAGMA busy_timeout=\(unsafeRaw: String(Self.busyTimeoutMilliseconds))").run()
        }
    }
}

/// Runs the platform's and the modules' periodic jobs while the server runs, each in its own loop.
struct JobRunner: LifecycleHandler {
    let jobs: [PeriodicJob]

    private final class Box: @unchecked Sendable {
        // Set once in didBoot, cancelled once in shutdown, both on the lifecycle's thread.
        var tasks: [Task<Void, Never>] = []
    }
    private let box = Box()

    func didBootAsync(_ app: Application) async throws {
        box.tasks = jobs.map { job in
            Task {
                let logger = Logger(label: "egov.job.\(job.name)")
                while !Task.isCancelled {
                    do {
                        try await job.run(app)
                    } catch {
                        logger.warning("job failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    }
                    try? await Task.sleep(for: .seconds(job.interval))
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        for task in box.tasks { task.cancel() }
        for task in box.tasks { await task.value }
    }
}
