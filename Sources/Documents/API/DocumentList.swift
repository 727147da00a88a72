import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import FluentSQL
import Foundation
import Vapor

/// `GET /api/v1/documents?box=incoming|outgoing&q=&from=&to=&deadline=&unit=&type=&status=&sender=&limit=&offset=`: the documents the caller may see
/// (where they read documents, what they hold now, what they drafted), newest first, searched without accents
/// over subjects and notations. Every number and date is bounded where it is read.
enum DocumentList {
    struct Item: Content {
        let id: UUID
        let direction: String
        let type: String
        let subject: String
        @NullEncodable var notation: String?
        @NullEncodable var senderNotation: String?
        @NullEncodable var arrivalNumber: Int?
        let status: String
        let step: String
        let urgency: String
        let createdAt: Date
        @NullEncodable var issuedAt: Date?
        @NullEncodable var dueAt: Date?
        /// `not-started`, `on-time`, `at-risk`, `late`, `finished-on-time`, `finished-late`, … as for every case.
        let deadline: String
    }

    /// A day `yyyy-MM-dd` of Vietnam's calendar in the query, from 2000 to 2100, as the instant it starts.
    static func day(_ req: Request, _ name: String) throws -> Date? {
        guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
        return WorkingDayCalendar().startOfDay(try DocumentFields.day(raw, field: name))
    }

    /// What a list asks for: the box, the words, the days, the deadline; each checked where it is read.
    struct Filter {
        var box: DocumentModel.Direction?
        var q = ""
        var from: Date?
        var to: Date?
        var deadline: CasePredicates.DeadlineFilter?
        /// The register's unit (the issuing body of outgoing documents, the receiving unit of incoming ones), the
        /// document type, the status, and the sender's organ code.
        var unit: String?
        var type: String?
        var status: String?
        var sender: String?

        init(box: DocumentModel.Direction? = nil, q: String = "") {
            (self.box, self.q) = (box, q)
        }

        init(_ req: Request) throws {
            let box = req.query[String.self, at: "box"].flatMap { $0.isEmpty ? nil : $0 }
            guard box == nil || DocumentModel.Direction(rawValue: box ?? "") != nil else {
                throw DocumentFields.invalid("box", "box là incoming hoặc outgoing.", "box is incoming or outgoing.")
            }
            self.box = box.flatMap(DocumentModel.Direction.init(rawValue:))
            q = req.query[String.self, at: "q"] ?? ""
            guard q.count <= 200 else { throw DocumentFields.invalid("q", "Từ khóa dài tối đa 200 ký tự.", "The query is at most 200 characters.") }
            from = try day(req, "from")
            to = try day(req, "to")
            if let from, let to, from > to { throw DocumentFields.invalid("from", "Ngày bắt đầu sau ngày kết thúc.", "from is after to.") }
            deadline = try req.query[String.self, at: "deadline"].flatMap { $0.isEmpty ? nil : $0 }.map { raw in
                guard let filter = CasePredicates.DeadlineFilter(rawValue: raw) else {
                    throw DocumentFields.invalid("deadline", "deadline là on-time, at-risk hoặc late.", "deadline is on-time, at-risk or late.")
                }
                return filter
            }
            unit = try Self.code(req, "unit", "Mã đơn vị", "A unit code")
            sender = try Self.code(req, "sender", "Mã định danh cơ quan gửi", "The sender's organ code")
            type = try Self.word(req, "type", "Loại văn bản", "A document type")
            status = try Self.word(req, "status", "Trạng thái", "A status")
        }

        /// An electronic identifier code in the query (`000.00.01.H99`), or nil.
        static func code(_ req: Request, _ name: String, _ vi: String, _ en: String) throws -> String? {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            guard raw.count <= 40, ElectronicCode.isValid(raw) else {
                throw DocumentFields.invalid(name, "\(vi) có dạng 000.00.01.H99.", "\(en) looks like 000.00.01.H99.")
            }
            return raw
        }

        /// A pack id in the query (lower-case letters, digits and hyphens), or nil.
        static func word(_ req: Request, _ name: String, _ vi: String, _ en: String) throws -> String? {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            guard raw.count <= 40, raw.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw DocumentFields.invalid(name, "\(vi) là mã gồm chữ thường, số và gạch ngang.", "\(en) is an id of lower-case letters, digits and hyphens.")
            }
            return raw
        }
    }

    /// A page of documents: `total` counts them exactly when `totalExact`; a search that finds more than
    /// `DocumentSearch.countCap` says so instead of counting them all.
    struct Page: Content {
        let items: [Item]
        let total: Int
        let totalExact: Bool
    }

    static func list(_ req: Request) async throws -> Page {
        try await find(try Filter(req), range: try Paging(req).range, req)
    }

    /// One page of the documents `filter` finds among those the caller may see, newest first.
    static func find(_ filter: Filter, range: Range<Int>, _ req: Request) async throws -> Page {
        let principal = try req.principal()
        let now = req.egov.clock.now()
        let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
        // Every condition once, as SQL: the same for a plain list and a search.
        let scopes = CasePolicy.servedScopes(principal, for: DocumentsModule.read)
        var conditions: [SQLQueryString] = [
            "(\(CasePredicates.within(scopes)) OR \(CasePredicates.queue(for: principal)) OR drafter_id = \(bind: principal.id) OR \(DocumentAccess.followed(by: principal)))",
        ]
        if let box = filter.box { conditions.append("direction = \(bind: box.rawValue)") }
        if let unit = filter.unit {
            // A register book is the issuing body's for outgoing documents, the receiving unit's for incoming ones.
            switch filter.box {
            case .outgoing: conditions.append("issuer_code = \(bind: unit)")
            case .incoming: conditions.append("drafting_unit_code = \(bind: unit)")
            case nil: conditions.append("((direction = 'outgoing' AND issuer_code = \(bind: unit)) OR (direction = 'incoming' AND drafting_unit_code = \(bind: unit)))")
            }
        }
        if let type = filter.type { conditions.append("type_id = \(bind: type)") }
        if let status = filter.status { conditions.append("status = \(bind: status)") }
        if let sender = filter.sender { conditions.append("sender_code = \(bind: sender)") }
        if let from = filter.from { conditions.append("created_at >= \(bind: from)") }
        if let to = filter.to { conditions.append("created_at < \(bind: to.addingTimeInterval(86_400))") }
        // Overdue tracking: the case runtime's deadline rule, in SQL.
        if let deadline = filter.deadline { conditions.append(CasePredicates.deadline(deadline, now: now, calendar: calendar)) }
        let terms = Array(SearchText.terms(filter.q).prefix(10))
        let rows: [DocumentModel]
        let total: Int, exact: Bool
        if terms.isEmpty {
            let query = DocumentModel.query(on: req.db)
            for condition in conditions { query.filter(case: condition) }
            total = try await query.count()
            exact = true
            rows = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(range).all()
        } else {
            (rows, total, exact) = try await DocumentSearch.page(conditions + DocumentSearch.conditions(terms, on: req.db), range: range, on: req.db)
        }
        return Page(items: try rows.map {
            Item(id: try $0.requireID(), direction: $0.direction, type: $0.typeID, subject: $0.subject, notation: $0.notation,
                 senderNotation: $0.senderNotation, arrivalNumber: $0.arrivalNumber, status: $0.status, step: $0.stepID, urgency: $0.urgency,
                 createdAt: $0.createdAt, issuedAt: $0.issuedAt, dueAt: $0.dueAt,
                 deadline: $0.deadlineStatus(at: now, calendar: calendar).rawValue)
        }, total: total, totalExact: exact)
    }
}
