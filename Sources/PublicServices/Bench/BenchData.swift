import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// `egov bench-data --dossiers N`: a realistic year of dossiers for benchmarks — spread over the
/// communes and the Service Centre, day by day, most of them finished, with codes that continue the
/// real counters (so submissions made afterwards stay gap-free). Written in batches of multi-row inserts,
/// each batch in one transaction with the counters it used: a run that is stopped (Ctrl-C, a crash) leaves
/// whole batches and consistent counters, and running the command again continues it to N (issue 15).
public enum BenchData {
    public struct Summary: Sendable {
        public let dossiers: Int
        public let seconds: Double
        /// A sample of the generated codes, for lookup benchmarks.
        public let sampleCodes: [String]
        /// Dossiers that were already in the database (an earlier, stopped run): they count towards N.
        public let resumedFrom: Int
    }

    /// Codes sampled for the lookup benchmarks.
    static let samplesWanted = 2000

    public static func generate(dossiers total: Int, services: PlatformServices, on db: any Database, days: Int = 365,
                                progress: @Sendable (Int, Int) -> Void) async throws -> Summary {
        guard let sql = db as? any SQLDatabase else { throw BenchDataError("an SQL database is needed") }
        let started = Date()
        let now = services.clock.now()
        let calendar = try await services.calendars.calendar(on: db, now: now)
        let settings = try await CatalogueStore.settings(on: db)
        let processes = try await CatalogueStore.processes(on: db)
        let procedures = try await ProcedureModel.query(on: db).all().map(CatalogueStore.procedure(of:))
        let communes = try await UnitModel.query(on: db).filter(\.$type == UnitType.commune.rawValue).sort(\.$code).all()
        let communeProcedures = procedures.filter { $0.level == .commune && $0.process == "commune-only" }
        let centreProcedures = procedures.filter { $0.process == "province-via-centre" }
        guard !communes.isEmpty, !communeProcedures.isEmpty else { throw BenchDataError("load a locality pack first") }
        var centre: UnitModel?
        if let code = processes["province-via-centre"].flatMap({ definition -> String? in
            if case .unit(let code) = ReceptionRule(definition) { return code }
            return nil
        }) { centre = try await UnitModel.query(on: db).filter(\.$code == code).first() }
        let unitsByCode = Dictionary(try await UnitModel.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let receivers = communes + (centre.map { [$0] } ?? [])

        // What an earlier run left: whole batches, their counters raised with them. It counts towards the total;
        // the year is filled on from the day that run reached, and its codes are sampled from the database.
        let existing = try await DossierModel.query(on: db).count()
        var samples: [String] = []
        if existing > 0 {
            let share = min(samplesWanted, samplesWanted * existing / max(1, total))
            for row in try await sql.raw("SELECT code FROM \(ident: DossierModel.schema) ORDER BY random() LIMIT \(bind: share)").all() {
                samples.append(try row.decode(column: "code", as: String.self))
            }
        }
        var counters: [String: Int] = [:]
        for row in try await sql.raw("SELECT scope, value FROM \(ident: CounterModel.schema) WHERE scope LIKE \(bind: "dossier:%")").all() {
            counters[try row.decode(column: "scope", as: String.self)] = try row.decode(column: "value", as: Int.self)
        }
        var random = SplitMix64(seed: 20_261_128 &+ UInt64(existing))
        var rows: [Row] = []
        rows.reserveCapacity(Self.batch)
        var used: [String: Int] = [:]
        var written = existing
        var skipped = 0
        let perDay = max(1, total / days)
        func flush() async throws {
            let batch = rows, raised = used
            try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { throw BenchDataError("an SQL database is needed") }
                try await insert(batch, on: sql)
                try await Counters.raise(raised, on: tx)
            }
            written += batch.count
            rows.removeAll(keepingCapacity: true)
            used.removeAll(keepingCapacity: true)
            progress(written, total)
        }
        dayLoop: for dayOffset in stride(from: days - 1, through: 0, by: -1) {
            let date = calendar.civilDate(of: now).adding(days: -dayOffset)
            guard calendar.isWorkingDay(date) || dayOffset == 0 else { continue }
            let dayStart = calendar.startOfDay(date)
            let left = total - skipped - (written - existing) - rows.count
            let planned = dayOffset == 0 ? left : min(left, perDay + perDay * 3 / 10)
            // The days an earlier run filled.
            let resumed = min(max(0, planned), existing - skipped)
            skipped += resumed
            for _ in 0..<max(0, planned - resumed) {
                let receiving = receivers[Int(random.next() % UInt64(receivers.count))]
                let isCentre = receiving.code == centre?.code
                let list = isCentre ? centreProcedures : communeProcedures
                guard !list.isEmpty else { continue }
                let procedure = list[Int(random.next() % UInt64(list.count))]
                let competentCode = isCentre ? (procedureUnit(procedure) ?? receiving.code) : receiving.code
                guard let competent = unitsByCode[competentCode], let definition = processes[procedure.processID(in: competentCode)] else { continue }
                let scope = settings.dossierCode.counterScope(kind: "dossier", unit: receiving.code, date: date)
                let sequence = (counters[scope] ?? 0) + 1
                counters[scope] = sequence
                used[scope] = sequence
                let submitted = dayStart.addingTimeInterval(7.5 * 3600 + Double(random.next() % 32_400))
                let code = settings.dossierCode.format(unit: receiving.code, date: date, sequence: sequence)
                rows.append(Row(code: code, procedure: procedure, definition: definition, receiving: receiving, competent: competent,
                                submitted: submitted, now: now, calendar: calendar, roll: Int(random.next() % 100)))
                if samples.count < samplesWanted, random.next() % UInt64(max(1, total / samplesWanted)) == 0 { samples.append(code) }
                if rows.count == Self.batch { try await flush() }
                if written + rows.count >= total { break dayLoop }
            }
            if written + rows.count >= total { break dayLoop }
        }
        if !rows.isEmpty { try await flush() }
        return Summary(dossiers: written - existing, seconds: Date().timeIntervalSince(started), sampleCodes: samples, resumedFrom: existing)
    }

    /// Rows per multi-row INSERT: under both databases' limits on bound parameters.
    static let batch = 500

    static func procedureUnit(_ procedure: Procedure) -> String? {
        if case .units(let codes) = procedure.units { return codes.first }
        return nil
    }

    struct Row {
        let id = UUID()
        let code: String
        let procedure: Procedure
        let definition: ProcessDefinition
        let receiving: UnitModel
        let competent: UnitModel
        let submitted: Date
        let received: Date
        let due: Date
        let finished: Date?
        let late: Bool
        /// Already past its due date when generated: the late notice counts as sent.
        let overdue: Bool
        let state: CaseState

        init(code: String, procedure: Procedure, definition: ProcessDefinition, receiving: UnitModel, competent: UnitModel, submitted: Date,
             now: Date, calendar: WorkingDayCalendar, roll: Int) {
            self.code = code
            self.procedure = procedure
            self.definition = definition
            self.receiving = receiving
            self.competent = competent
            self.submitted = submitted
            let receivedAt = submitted.addingTimeInterval(1800)
            var clock = DeadlineClock()
            clock.start(at: receivedAt, workingDays: procedure.processingDays, cutoffHour: procedure.cutoffHour, calendar: calendar)
            let dueAt = clock.dueAt ?? receivedAt
            // 93 % finish on time, 4 % late, the rest is still open (if its time has not come yet).
            let finishAt: Date? = roll < 93 ? receivedAt.addingTimeInterval(max(3600, dueAt.timeIntervalSince(receivedAt) * 0.6))
                : roll < 97 ? dueAt.addingTimeInterval(86_400) : nil
            let finishedAt = finishAt.flatMap { $0 < now ? $0 : nil }
            if let finishedAt { clock.stop(at: finishedAt) }
            let finishedLate = finishedAt.map { $0 > dueAt } ?? false
            received = receivedAt
            due = dueAt
            finished = finishedAt
            late = finishedLate
            overdue = finishedLate || (finishedAt == nil && dueAt < now)
            var caseState = CaseState(stepID: finishedAt != nil ? "done" : "processing",
                                      previousStepID: finishedAt != nil ? "result" : "reception", clock: clock)
            caseState.stepStartedAt = finishedAt ?? receivedAt
            state = caseState
        }
    }

    static func insert(_ rows: [Row], on sql: any SQLDatabase) async throws {
        var dossiers = sql.insert(into: DossierModel.schema).columns(
            "id", "code", "procedure_code", "procedure_name", "process_id", "receiving_unit_code", "receiving_unit_path", "competent_unit_code",
            "competent_unit_path", "channel", "result_delivery", "inter_level", "applicant_name", "form", "status", "step_id", "holder_positions",
            "holder_unit_path", "holder_applicant", "state", "due_at", "clock_paused", "submitted_at", "received_at", "finished_at",
            "finished_late", "fee_amount", "fee_paid", "supplement_requests", "late_notified", "version", "updated_at")
        var events: [(caseID: UUID, event: CaseEvent)] = []
        for (index, row) in rows.enumerated() {
            // The case runtime's own column writer fills the step, holder and deadline columns.
            let model = DossierModel()
            model.receivingUnitCode = row.receiving.code
            model.receivingUnitPath = row.receiving.path
            model.competentUnitCode = row.competent.code
            model.competentUnitPath = row.competent.path
            model.status = DossierStatus.processing.rawValue
            try model.store(row.state, in: row.definition, assigneeName: nil)
            let channel = index % 3 == 0 ? "counter" : "online"
            let inter = (row.receiving.unitType == .commune) != (row.competent.unitType == .commune)
            dossiers = dossiers.values([
                SQLBind(row.id), SQLBind(row.code), SQLBind(row.procedure.code), SQLBind(row.procedure.name), SQLBind(row.definition.id),
                SQLBind(row.receiving.code), SQLBind(row.receiving.path), SQLBind(row.competent.code), SQLBind(row.competent.path),
                SQLBind(channel), SQLBind(channel), SQLBind(inter), SQLBind("Người nộp thử nghiệm \(index % 97)"), SQLBind("{}"),
                SQLBind(model.status), SQLBind(model.stepID), SQLBind(model.holderPositions), SQLBind(model.holderUnitPath),
                SQLBind(model.holderApplicant), SQLBind(model.state), SQLBind(model.dueAt), SQLBind(model.clockPaused), SQLBind(row.submitted),
                SQLBind(row.received), SQLBind(model.finishedAt), SQLBind(model.finishedLate), SQLBind(row.procedure.totalFee), SQLBind(true),
                SQLBind(0), SQLBind(row.overdue), SQLBind(1), SQLBind(row.finished ?? row.received),
            ])
            events.append((row.id, CaseEvent(seq: 1, actionID: DossierAction.submit.rawValue, actionName: "Nộp hồ sơ trực tuyến", fromStep: nil,
                                             toStep: model.stepID, toStepName: row.definition.step(model.stepID)?.name ?? model.stepID,
                                             status: model.status, actorID: nil, actorName: "Người nộp thử nghiệm", actorUnitCode: nil,
                                             at: row.submitted, note: nil, assigneeName: nil, stepOnTime: nil, files: [])))
        }
        try await dossiers.run()
        try await CaseHistory.insert(events, into: DossierModel.self, on: sql)
    }

    struct BenchDataError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
