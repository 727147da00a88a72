import Vapor

/// Work the server does on its own every so often (sealing the audit log, sending the outbox, telling
/// applicants their dossier is late). Every node runs every job; each job makes itself safe for that
/// (advisory locks, `SKIP LOCKED`, claim-by-update), so nodes never need to elect a leader.
public struct PeriodicJob: Sendable {
    public let name: String
    public let interval: TimeInterval
    public let run: @Sendable (Application) async throws -> Void

    public init(name: String, interval: TimeInterval, run: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.run = run
    }

    /// The platform's own jobs.
    public static func platform(_ configuration: EGovConfiguration) -> [PeriodicJob] {
        [
            PeriodicJob(name: "audit-seal", interval: configuration.auditSealInterval) { app in
                try await AuditLog.seal(on: app.db, now: app.egov.clock.now())
                // Sealing goes on without time-stamps when the TSA gives none (its key cannot be opened, the outside
                // TSA is down): the chain of seals matters more than the token, and a later run stamps what it missed.
                do {
                    try await app.egov.signatures.timeStampSeals(on: app.db)
                } catch {
                    app.logger.warning("audit seals are not time-stamped: \(String(describing: error))")
                }
            },
            PeriodicJob(name: "sessions", interval: 300) { app in
                try await SessionStore.purge(now: app.egov.clock.now(), idleTimeout: app.egov.configuration.sessionIdleTimeout, on: app.db)
            },
            PeriodicJob(name: "incoming-uploads", interval: 600) { app in
                UploadSpool.removeStale(under: app.egov.files.root, olderThan: 3600, now: app.egov.clock.now())
            },
            PeriodicJob(name: "outbox", interval: 2) { app in
                try await Outbox.deliverDue(on: app.db, transports: app.egov.transports, now: app.egov.clock.now())
            },
        ]
    }
}
