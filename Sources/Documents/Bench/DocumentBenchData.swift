import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// `egov bench-data --documents N`: a year of documents over the demo's issuing bodies, for benchmarks — about
/// half issued outgoing documents with their numbers and notations, half incoming ones (most handled, some in
/// hand, a few waiting for registration), with subjects made from the words of real ones, so that searches find
/// some and not all. Registers' counters continue from the numbers written, so issuing afterwards stays
/// gap-free. Written in batches of multi-row inserts through the case runtime's column writer.
enum DocumentBenchData {
    /// Rows per multi-row INSERT: 46 columns, under both databases' limits on bound parameters.
    static let batch = 400

    static let kinds = ["Quyết định", "Công văn", "Kế hoạch", "Báo cáo", "Thông báo", "Tờ trình", "Giấy mời", "Chỉ thị"]
    static let verbs = ["phê duyệt", "triển khai", "tổ chức", "kiểm tra", "tổng kết", "hướng dẫn", "điều chỉnh", "rà soát", "đôn đốc",
                        "góp ý dự thảo"]
    static let objects = ["kế hoạch", "dự án", "hội nghị", "công tác", "đề án", "chương trình", "danh mục", "quy chế", "chỉ tiêu"]
    static let topics = ["cải cách hành chính", "chuyển đổi số", "phòng chống thiên tai", "xây dựng nông thôn mới", "an toàn giao thông",
                         "bồi dưỡng cán bộ", "thi đua khen thưởng", "quản lý đất đai", "giải phóng mặt bằng", "phổ biến giáo dục pháp luật",
                         "nâng bậc lương", "tuyển dụng công chức", "bảo vệ môi trường", "phòng cháy chữa cháy", "y tế cơ sở",
                         "giáo dục mầm non", "văn hóa cơ sở", "du lịch cộng đồng", "kinh tế tập thể", "an sinh xã hội"]

    static func generate(_ total: Int, services: PlatformServices, on db: any Database,
                         progress: @escaping @Sendable (Int, Int) -> Void) async throws -> BenchDataGenerator.Summary {
        guard let sql = db as? any SQLDatabase else { throw Failure(description: "an SQL database is needed") }
        let started = Date()
        let now = services.clock.now()
        let calendar = try await services.calendars.calendar(on: db, now: now)
        let outgoing = try await DocumentDrafting.process(DocumentsModule.outgoingProcess, on: db)
        let incoming = try await DocumentDrafting.process(DocumentDelivery.incomingProcess, on: db)
        let issuers = try await IssuerModel.query(on: db).filter(\.$issues == true).all()
        let units = Dictionary(try await UnitModel.query(on: db).filter(\.$code ~~ issuers.compactMap(\.id)).all().map { ($0.code, $0) },
                               uniquingKeysWith: { first, _ in first })
        let bodies = issuers.compactMap { issuer in issuer.id.flatMap { units[$0] }.map { (issuer, $0) } }
        let types = try await DocumentTypeModel.query(on: db).filter(\.$abbreviation != nil).sort(\.$sortOrder).all()
        guard bodies.count >= 2, !types.isEmpty else { throw Failure(description: "load a locality pack with the documents module first") }

        var counters: [String: Int] = [:]
        for row in try await sql.raw("SELECT scope, value FROM \(ident: CounterModel.schema) WHERE scope LIKE \(bind: "documents.%")").all() {
            counters[try row.decode(column: "scope", as: String.self)] = try row.decode(column: "value", as: Int.self)
        }
        var random = SplitMix64(seed: 20_261_202)
        func pick<T>(_ list: [T]) -> T { list[Int(random.next() % UInt64(list.count))] }
        var rows: [DocumentModel] = []
        rows.reserveCapacity(batch)
        var written = 0
        var samples: [String] = []
        let days = 365
        let perDay = max(1, total / days)
        dayLoop: for dayOffset in stride(from: days - 1, through: 0, by: -1) {
            let date = calendar.civilDate(of: now).adding(days: -dayOffset)
            guard calendar.isWorkingDay(date) || dayOffset == 0 else { continue }
            let dayStart = calendar.startOfDay(date)
            let count = dayOffset == 0 ? total - written - rows.count : min(total - written - rows.count, perDay + perDay * 4 / 10)
            for _ in 0..<max(0, count) {
                let (issuer, unit) = pick(bodies)
                let type = pick(types)
                let subject = "\(pick(kinds)) về việc \(pick(verbs)) \(pick(objects)) \(pick(topics)) năm \(date.year)"
                let at = dayStart.addingTimeInterval(7.5 * 3600 + Double(random.next() % 32_400))
                let year = DocumentIssuance.registerYear(at)
                let document: DocumentModel
                if random.next() % 100 < 45 {
                    // Issued by `issuer`, to one or two others.
                    document = DocumentModel()
                    document.id = UUID()
                    (document.direction, document.processID, document.typeID, document.subject) = ("outgoing", outgoing.id, type.id ?? "", subject)
                    (document.draftingUnitCode, document.receivingUnitPath, document.issuerCode, document.competentUnitPath) =
                        (unit.code, unit.path, unit.code, unit.path)
                    let recipient = pick(bodies).1.code
                    document.recipientCodes = recipient == unit.code ? pick(bodies).1.code : recipient
                    (document.urgency, document.confidentiality) = (DocumentUrgency.normal.rawValue, DocumentConfidentiality.none.rawValue)
                    let scope = DocumentIssuance.registerScope(issuer: unit.code, year: year)
                    let number = (counters[scope] ?? 0) + 1
                    counters[scope] = number
                    let notation = try DocumentNotation(number: number, typeAbbreviation: type.abbreviation, issuer: issuer.abbreviation,
                                                        draftingUnit: nil, leadingZero: issuer.leadingZero ?? true)
                    (document.registerYear, document.number, document.notation, document.issuedAt) = (year, number, notation.text, at)
                    var state = CaseState(stepID: "issued", previousStepID: "issuance")
                    state.stepStartedAt = at
                    try document.store(state, in: outgoing, assigneeName: nil)
                    if samples.count < 2000, random.next() % UInt64(max(1, total / 2000)) == 0 { samples.append(notation.text) }
                } else {
                    // Received by `unit` from another body; most handled within ten working days, some in hand, a few waiting.
                    let sender = pick(bodies.filter { $0.1.code != unit.code })
                    document = DocumentModel(incomingAt: unit, process: incoming.id, type: type.id ?? "", subject: subject, channel: .electronic)
                    (document.senderCode, document.senderName) = (sender.1.code, sender.1.name)
                    document.senderNotation = "\(1 + Int(random.next() % 900))/\(type.abbreviation ?? "CV")-\(sender.0.abbreviation)"
                    let roll = random.next() % 100
                    var state: CaseState
                    if roll < 5 {
                        state = CaseState(stepID: "registration")
                    } else {
                        let scope = DocumentIssuance.incomingScope(unit: unit.code, year: year)
                        let arrival = (counters[scope] ?? 0) + 1
                        counters[scope] = arrival
                        (document.registerYear, document.arrivalNumber) = (year, arrival)
                        var clock = DeadlineClock()
                        clock.start(at: at.addingTimeInterval(3600), workingDays: 10, cutoffHour: nil, calendar: calendar)
                        let finish = at.addingTimeInterval(Double(2 + random.next() % 12) * 86_400)
                        if roll < 80, finish < now {
                            clock.stop(at: finish)
                            state = CaseState(stepID: "done", previousStepID: "handling", clock: clock)
                            state.stepStartedAt = finish
                        } else {
                            state = CaseState(stepID: "handling", previousStepID: "assignment", clock: clock)
                            state.stepStartedAt = at.addingTimeInterval(3600)
                        }
                    }
                    try document.store(state, in: incoming, assigneeName: nil)
                }
                (document.createdAt, document.updatedAt, document.version) = (at, at, 1)
                document.refreshSearchText()
                rows.append(document)
                if rows.count == batch {
                    try await insert(rows, on: sql)
                    written += rows.count
                    rows.removeAll(keepingCapacity: true)
                    progress(written, total)
                }
                if written + rows.count >= total { break dayLoop }
            }
        }
        if !rows.isEmpty {
            try await insert(rows, on: sql)
            written += rows.count
            progress(written, total)
        }
        try await Counters.raise(counters, on: db)
        return BenchDataGenerator.Summary(cases: written, seconds: Date().timeIntervalSince(started), sampleCodes: samples)
    }

    static func insert(_ rows: [DocumentModel], on sql: any SQLDatabase) async throws {
        var insert = sql.insert(into: DocumentModel.schema).columns(
            "id", "direction", "process_id", "type_id", "subject", "urgency", "confidentiality", "recipient_codes", "drafting_unit_code",
            "issuer_code", "register_year", "number", "notation", "issued_at", "created_at", "sender_code", "sender_notation", "sender_name",
            "arrival_number", "channel", "search_text", "receiving_unit_path", "competent_unit_path", "version", "state", "step_id", "status",
            "holder_positions", "holder_unit_path", "holder_applicant", "due_at", "step_due_at", "clock_paused", "paused_late", "finished_at",
            "finished_late", "received_at", "updated_at")
        for row in rows {
            insert = insert.values([
                SQLBind(row.id), SQLBind(row.direction), SQLBind(row.processID), SQLBind(row.typeID), SQLBind(row.subject),
                SQLBind(row.urgency), SQLBind(row.confidentiality), SQLBind(row.recipientCodes), SQLBind(row.draftingUnitCode),
                SQLBind(row.issuerCode), SQLBind(row.registerYear), SQLBind(row.number), SQLBind(row.notation), SQLBind(row.issuedAt),
                SQLBind(row.createdAt), SQLBind(row.senderCode), SQLBind(row.senderNotation), SQLBind(row.senderName),
                SQLBind(row.arrivalNumber), SQLBind(row.channel), SQLBind(row.searchText), SQLBind(row.receivingUnitPath),
                SQLBind(row.competentUnitPath), SQLBind(row.version), SQLBind(row.state), SQLBind(row.stepID), SQLBind(row.status),
                SQLBind(row.holderPositions), SQLBind(row.holderUnitPath), SQLBind(row.holderApplicant), SQLBind(row.dueAt),
                SQLBind(row.stepDueAt), SQLBind(row.clockPaused), SQLBind(row.pausedLate), SQLBind(row.finishedAt), SQLBind(row.finishedLate),
                SQLBind(row.receivedAt), SQLBind(row.updatedAt),
            ])
        }
        try await insert.run()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
