import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// Reminders on incoming documents (issue 14 §1): once a day, the lead handler of an open document that is at
/// risk (less than a working day left) or late gets an e-mail through the outbox. Each reminder is claimed by one
/// conditional update of the document's `reminded_on`, so several nodes running the job remind once.
enum DocumentReminders {
    static let batch = 200

    @discardableResult
    static func run(services: PlatformServices, on db: any Database) async throws -> Int {
        let now = services.clock.now()
        let calendar = try await services.calendars.calendar(on: db, now: now)
        let today = EdXMLWriter.date(now)
        let due = try await DocumentModel.query(on: db)
            .filter(\.$direction == DocumentModel.Direction.incoming.rawValue)
            .filter(\.$assigneeID != nil)
            .filter(case: "(\(CasePredicates.deadline(.atRisk, now: now, calendar: calendar)) OR \(CasePredicates.deadline(.late, now: now, calendar: calendar)))")
            .group(.or) { $0.filter(\.$remindedOn == nil).filter(\.$remindedOn != today) }
            .limit(batch).all()
        let handlers = try await UserModel.query(on: db).filter(\.$id ~~ Set(due.compactMap(\.assigneeID))).all()
        let emails = Dictionary(handlers.compactMap { user in user.id.flatMap { id in user.email.map { (id, $0) } } }, uniquingKeysWith: { first, _ in first })
        var sent = 0
        for document in due {
            guard let assignee = document.assigneeID, let email = emails[assignee] else { continue }
            let late = document.deadlineStatus(at: now, calendar: calendar) == .late
            let reminded = try await db.transaction { tx -> Bool in
                guard let txSQL = tx as? any SQLDatabase else { return false }
                let claimed = try await txSQL.raw("""
                    UPDATE \(ident: DocumentModel.schema) SET reminded_on = \(bind: today)
                    WHERE id = \(bind: try document.requireID()) AND (reminded_on IS NULL OR reminded_on <> \(bind: today)) RETURNING id
                    """).all()
                guard !claimed.isEmpty else { return false }
                let what = [document.senderNotation, document.subject].compactMap { $0 }.joined(separator: " – ")
                try await Outbox.enqueue(.email, to: email,
                                         subject: late ? "Văn bản quá hạn xử lý: \(what.prefix(150))" : "Văn bản sắp đến hạn xử lý: \(what.prefix(150))",
                                         body: "Văn bản đến \(what) được giao cho anh/chị xử lý, hạn \(document.dueAt.map(EdXMLWriter.timestamp) ?? "")"
                                            + (late ? " — đã quá hạn." : " — còn chưa đến một ngày làm việc."),
                                         reference: "document:\(try document.requireID().uuidString.lowercased())", at: now, on: tx)
                return true
            }
            if reminded { sent += 1 }
        }
        return sent
    }
}
