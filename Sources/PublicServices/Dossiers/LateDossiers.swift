import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// Tells applicants, once, that their dossier has passed its due date (the apology of form 04 follows
/// from the unit). Safe on several nodes: a dossier is claimed by flipping its flag, so only one node
/// writes its messages.
enum LateDossiers {
    static let job = PeriodicJob(name: "late-dossiers", interval: 60) { app in
        try await notify(services: app.egov, on: app.db)
    }

    @discardableResult
    static func notify(services: PlatformServices, on db: any Database, limit: Int = 200) async throws -> Int {
        let now = services.clock.now()
        let calendar = try await services.calendars.calendar(on: db, now: now)
        let late = try await DossierModel.query(on: db).filter(\.$lateNotified == false)
            .filter(case: CasePredicates.deadline(.late, now: now, calendar: calendar)).sort(\.$dueAt).limit(limit).all()
        guard !late.isEmpty else { return 0 }
        let notifications = DossierNotifications(services: services)
        var count = 0
        for dossier in late {
            let claimed = try await db.transaction { tx -> Bool in
                guard let sql = tx as? any SQLDatabase, let id = dossier.id else { return false }
                let rows = try await sql.raw("""
                    UPDATE \(ident: DossierModel.schema) SET late_notified = \(bind: true)
                    WHERE id = \(bind: id) AND late_notified = \(bind: false) RETURNING id
                    """).all()
                guard !rows.isEmpty else { return false }
                try await notifications.late(dossier, at: now, on: tx)
                return true
            }
            if claimed { count += 1 }
        }
        return count
    }
}
