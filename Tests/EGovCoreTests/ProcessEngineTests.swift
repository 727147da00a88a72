@testable import EGovCore
import Foundation
import Testing

/// A small commune process, built in code, to exercise the engine's rules.
enum SampleProcess {
    static let definition = ProcessDefinition(
        id: "commune-only", name: "Giải quyết tại UBND cấp xã",
        steps: [
            .init(id: "reception", name: "Tiếp nhận", status: "submitted", holder: .init(position: .oneStopOfficer, unit: .receiving)),
            .init(id: "processing", name: "Xử lý", status: "processing", holder: .init(position: .specialist, unit: .competent), share: 0.7),
            .init(id: "approval", name: "Phê duyệt", status: "processing", holder: .init(position: .leader, unit: .competent), share: 0.3),
            .init(id: "supplement", name: "Chờ bổ sung", status: "waiting-supplement", holder: .applicantHolder),
            .init(id: "done", name: "Xong", status: "done", holder: nil, isFinal: true),
            .init(id: "refused", name: "Từ chối", status: "refused", holder: nil, isFinal: true),
        ],
        actions: [
            .init(id: "receive", name: "Tiếp nhận", from: ["reception"], to: "processing", by: .holder, clock: .start),
            .init(id: "request-supplement", name: "Yêu cầu bổ sung", from: ["reception", "processing"], to: "supplement",
                  by: .holder, clock: .pause, needsNote: true),
            .init(id: "supplement", name: "Bổ sung", from: ["supplement"], to: "previous", by: .applicant, clock: .resume),
            .init(id: "process", name: "Xử lý xong", from: ["processing"], to: "approval", by: .holder),
            .init(id: "approve", name: "Phê duyệt", from: ["approval"], to: "done", by: .holder, clock: .stop, requires: ["fee-paid"]),
            .init(id: "refuse", name: "Từ chối", from: ["reception", "processing"], to: "refused", by: .holder, clock: .stop, needsNote: true),
        ])

    static let commune = "/root/benthuy/"
    static let counter = "/root/benthuy/counter/"
    static let otherCommune = "/root/vanson/"

    static func actor(_ position: Position?, at path: String, applicant: Bool = false, satisfied: Set<String> = []) -> ActorContext {
        ActorContext(isApplicant: applicant, holdings: position.map { [.init(position: $0, unitPath: path)] } ?? [],
                     receivingUnitPath: commune, competentUnitPath: commune, satisfied: satisfied)
    }
}

@Suite("The process engine")
struct ProcessEngineTests {
    let calendar = WorkingDayCalendar()
    /// Monday 5 October 2026, 09:00 in Vietnam.
    let monday = WorkingDayCalendar().startOfDay(CivilDate(year: 2026, month: 10, day: 5)!).addingTimeInterval(9 * 3600)

    @Test("the sample process and the shares are consistent")
    func definitionIsValid() {
        #expect(SampleProcess.definition.problems().isEmpty)
        var broken = SampleProcess.definition
        broken.actions[0].to = "nowhere"
        broken.steps[1].share = 0.9
        #expect(broken.problems().count == 2)
    }

    @Test("the counter's one-stop officer receives; the clock starts with the due date in working days")
    func receive() throws {
        let officer = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter)
        let state = CaseState(stepID: "reception")
        #expect(ProcessEngine.actions(for: officer, in: SampleProcess.definition, state: state).map(\.id) == ["receive", "request-supplement", "refuse"])
        let action = try ProcessEngine.check("receive", actor: officer, note: nil, in: SampleProcess.definition, state: state)
        let next = ProcessEngine.apply(action, to: state, at: monday, workingDays: 3, cutoffHour: nil, calendar: calendar)
        #expect(next.stepID == "processing")
        #expect(next.clock.dueAt == monday.addingTimeInterval(3 * 86_400))
        #expect(next.clock.status(at: monday, calendar: calendar) == .onTime)
    }

    @Test("an action that stays in its step keeps its assignee and deadlines; one id names one action per step")
    func staysInStep() throws {
        var definition = SampleProcess.definition
        definition.actions.append(.init(id: "report", name: "Báo cáo tiến độ", from: ["processing"], to: "processing", by: .holder, needsNote: true))
        definition.actions.append(.init(id: "process", name: "Xử lý lại", from: ["approval"], to: "processing", by: .holder))
        #expect(definition.problems().isEmpty)
        let officer = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter)
        let handler = UserID(UUID())
        let received = ProcessEngine.apply(try ProcessEngine.check("receive", actor: officer, note: nil, in: definition, state: CaseState(stepID: "reception")),
                                           to: CaseState(stepID: "reception"), at: monday, workingDays: 3, cutoffHour: nil, calendar: calendar,
                                           assignee: handler, definition: definition)
        #expect(received.assigneeID == handler && received.stepDueAt != nil)
        let specialist = ActorContext(userID: handler, isApplicant: false, holdings: [.init(position: .specialist, unitPath: SampleProcess.commune)],
                                      receivingUnitPath: SampleProcess.commune, competentUnitPath: SampleProcess.commune, satisfied: [])
        let report = try ProcessEngine.check("report", actor: specialist, note: "Đang xác minh", in: definition, state: received)
        let reported = ProcessEngine.apply(report, to: received, at: monday.addingTimeInterval(3600), workingDays: 3, cutoffHour: nil,
                                           calendar: calendar, definition: definition)
        #expect(reported == received)
        // The same id from another step is another action; two from one step are refused.
        let leader = SampleProcess.actor(.leader, at: SampleProcess.commune)
        #expect(try ProcessEngine.check("process", actor: leader, note: nil, in: definition, state: CaseState(stepID: "approval")).to == "processing")
        definition.actions.append(.init(id: "report", name: "Lần nữa", from: ["processing"], to: "approval", by: .holder))
        #expect(definition.problems().contains { $0.contains("two actions report from step processing") })
    }

    @Test("another commune's officer may not act (403), and an action from the wrong step is a conflict (409)")
    func refusals() {
        let state = CaseState(stepID: "reception")
        let stranger = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.otherCommune)
        #expect(ProcessEngine.actions(for: stranger, in: SampleProcess.definition, state: state).isEmpty)
        #expect(throws: WorkflowError.notAllowed(action: "receive")) {
            try ProcessEngine.check("receive", actor: stranger, note: nil, in: SampleProcess.definition, state: state)
        }
        let specialist = SampleProcess.actor(.specialist, at: SampleProcess.commune)
        #expect(throws: WorkflowError.notInThisState(action: "approve", step: "reception")) {
            try ProcessEngine.check("approve", actor: specialist, note: nil, in: SampleProcess.definition, state: state)
        }
        #expect(throws: WorkflowError.noteRequired(action: "refuse")) {
            try ProcessEngine.check("refuse", actor: SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter), note: "  ",
                                    in: SampleProcess.definition, state: state)
        }
        #expect(throws: WorkflowError.unknownAction("fly")) {
            try ProcessEngine.check("fly", actor: specialist, note: nil, in: SampleProcess.definition, state: state)
        }
    }

    @Test("a precondition such as fee-paid holds the action back until it is met")
    func precondition() throws {
        let leader = SampleProcess.actor(.leader, at: SampleProcess.commune)
        let state = CaseState(stepID: "approval")
        #expect(ProcessEngine.actions(for: leader, in: SampleProcess.definition, state: state).isEmpty)
        #expect(throws: WorkflowError.preconditionFailed("fee-paid")) {
            try ProcessEngine.check("approve", actor: leader, note: nil, in: SampleProcess.definition, state: state)
        }
        let paid = SampleProcess.actor(.leader, at: SampleProcess.commune, satisfied: ["fee-paid"])
        #expect(try ProcessEngine.check("approve", actor: paid, note: nil, in: SampleProcess.definition, state: state).id == "approve")
    }

    @Test("a supplement pauses the clock and the applicant's answer resumes it where it stood")
    func supplementPausesTheClock() throws {
        let definition = SampleProcess.definition
        let officer = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter)
        let specialist = SampleProcess.actor(.specialist, at: SampleProcess.commune)
        let applicant = SampleProcess.actor(nil, at: "", applicant: true)
        var state = CaseState(stepID: "reception")
        state = ProcessEngine.apply(try ProcessEngine.check("receive", actor: officer, note: nil, in: definition, state: state),
                                    to: state, at: monday, workingDays: 3, cutoffHour: nil, calendar: calendar)
        // Tuesday 09:00: one working day used, two left. The specialist asks for a missing paper.
        let tuesday = monday.addingTimeInterval(86_400)
        state = ProcessEngine.apply(try ProcessEngine.check("request-supplement", actor: specialist, note: "Thiếu bản vẽ", in: definition, state: state),
                                    to: state, at: tuesday, workingDays: 3, cutoffHour: nil, calendar: calendar)
        #expect(state.stepID == "supplement")
        #expect(state.clock.status(at: tuesday.addingTimeInterval(30 * 86_400), calendar: calendar) == .paused)
        // The applicant answers the next Monday 09:00: two working days are left from then.
        let nextMonday = monday.addingTimeInterval(7 * 86_400)
        state = ProcessEngine.apply(try ProcessEngine.check("supplement", actor: applicant, note: nil, in: definition, state: state),
                                    to: state, at: nextMonday, workingDays: 3, cutoffHour: nil, calendar: calendar)
        #expect(state.stepID == "processing")
        #expect(state.clock.dueAt == nextMonday.addingTimeInterval(2 * 86_400))
        #expect(state.clock.pauses.count == 1 && state.clock.pauses[0].to == nextMonday)
        // The officer cannot answer for the applicant.
        #expect(throws: WorkflowError.self) {
            try ProcessEngine.check("supplement", actor: officer, note: nil, in: definition, state: CaseState(stepID: "supplement"))
        }
    }
}

@Suite("The process engine: assignees, automatic actions, step deadlines")
struct ProcessEngineAssignmentTests {
    let calendar = WorkingDayCalendar()
    let monday = WorkingDayCalendar().startOfDay(CivilDate(year: 2026, month: 10, day: 5)!).addingTimeInterval(9 * 3600)

    /// A payment step first (taken by the system once the fee is paid), then the commune's steps.
    static let paid = ProcessDefinition(
        id: "paid", name: "Nộp phí trước",
        steps: [.init(id: "payment", name: "Chờ nộp phí", status: "waiting-payment", holder: .applicantHolder)] + SampleProcess.definition.steps,
        actions: [.init(id: "pay", name: "Nộp phí", from: ["payment"], to: "reception", by: .system, requires: ["fee-paid"])]
            + SampleProcess.definition.actions)

    @Test("a step handed to one officer by name is theirs alone; going back after a supplement returns it to them")
    func namedAssignee() throws {
        let definition = SampleProcess.definition
        let nhung = UserID(), other = UserID()
        let officer = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter)
        var state = CaseState(stepID: "reception")
        state = ProcessEngine.apply(try ProcessEngine.check("receive", actor: officer, note: nil, in: definition, state: state),
                                    to: state, at: monday, workingDays: 10, cutoffHour: nil, calendar: calendar, assignee: nhung,
                                    definition: definition)
        #expect(state.assigneeID == nhung)
        var named = SampleProcess.actor(.specialist, at: SampleProcess.commune)
        named.userID = nhung
        var colleague = SampleProcess.actor(.specialist, at: SampleProcess.commune)
        colleague.userID = other
        #expect(ProcessEngine.actions(for: colleague, in: definition, state: state).isEmpty)
        #expect(throws: WorkflowError.notAllowed(action: "process")) {
            try ProcessEngine.check("process", actor: colleague, note: nil, in: definition, state: state)
        }
        state = ProcessEngine.apply(try ProcessEngine.check("request-supplement", actor: named, note: "Thiếu giấy tờ", in: definition, state: state),
                                    to: state, at: monday.addingTimeInterval(3600), workingDays: 10, cutoffHour: nil, calendar: calendar,
                                    definition: definition)
        #expect(state.assigneeID == nil)
        let applicant = SampleProcess.actor(nil, at: "", applicant: true)
        state = ProcessEngine.apply(try ProcessEngine.check("supplement", actor: applicant, note: nil, in: definition, state: state),
                                    to: state, at: monday.addingTimeInterval(7200), workingDays: 10, cutoffHour: nil, calendar: calendar,
                                    definition: definition)
        #expect(state.stepID == "processing" && state.assigneeID == nhung)
    }

    @Test("a system action is nobody's to take, and is found once its precondition holds")
    func automaticAction() throws {
        let state = CaseState(stepID: "payment")
        let applicant = SampleProcess.actor(nil, at: "", applicant: true)
        #expect(ProcessEngine.actions(for: applicant, in: Self.paid, state: state).isEmpty)
        #expect(throws: WorkflowError.notAllowed(action: "pay")) {
            try ProcessEngine.check("pay", actor: applicant, note: nil, in: Self.paid, state: state)
        }
        #expect(ProcessEngine.automaticAction(in: Self.paid, state: state, satisfied: []) == nil)
        #expect(ProcessEngine.automaticAction(in: Self.paid, state: state, satisfied: ["fee-paid"])?.id == "pay")
        #expect(ProcessEngine.automaticAction(in: Self.paid, state: CaseState(stepID: "reception"), satisfied: ["fee-paid"]) == nil)
        var broken = Self.paid
        broken.actions[0].requires = []
        #expect(broken.problems().contains { $0.contains("taken by the system but has no precondition") })
    }

    @Test("a step's own deadline is its share of the whole; a supplement keeps what the step had left")
    func stepDeadlines() throws {
        let definition = SampleProcess.definition
        let officer = SampleProcess.actor(.oneStopOfficer, at: SampleProcess.counter)
        let specialist = SampleProcess.actor(.specialist, at: SampleProcess.commune)
        var state = CaseState(stepID: "reception")
        // 10 working days; processing holds 70 % of them: 7 working days from Monday 09:00 → Wednesday 14 Oct 09:00.
        state = ProcessEngine.apply(try ProcessEngine.check("receive", actor: officer, note: nil, in: definition, state: state),
                                    to: state, at: monday, workingDays: 10, cutoffHour: nil, calendar: calendar, definition: definition)
        let processingDue = monday.addingTimeInterval(9 * 86_400)
        #expect(state.stepDueAt == processingDue)
        #expect(state.stepStatus(at: monday, calendar: calendar) == .onTime)
        #expect(state.stepStatus(at: processingDue.addingTimeInterval(-3600), calendar: calendar) == .atRisk)
        #expect(state.stepStatus(at: processingDue.addingTimeInterval(60), calendar: calendar) == .late)
        // Asked for a supplement on Tuesday 09:00 (6 working days left for the step), answered a week later.
        let tuesday = monday.addingTimeInterval(86_400)
        state = ProcessEngine.apply(try ProcessEngine.check("request-supplement", actor: specialist, note: "Thiếu", in: definition, state: state),
                                    to: state, at: tuesday, workingDays: 10, cutoffHour: nil, calendar: calendar, definition: definition)
        #expect(state.stepDueAt == nil && state.stepStatus(at: tuesday, calendar: calendar) == .notStarted)
        let nextTuesday = tuesday.addingTimeInterval(7 * 86_400)
        state = ProcessEngine.apply(try ProcessEngine.check("supplement", actor: SampleProcess.actor(nil, at: "", applicant: true), note: nil,
                                                            in: definition, state: state),
                                    to: state, at: nextTuesday, workingDays: 10, cutoffHour: nil, calendar: calendar, definition: definition)
        // Six working days from Tuesday 13 Oct 09:00 → Wednesday 21 Oct 09:00.
        #expect(state.stepDueAt == nextTuesday.addingTimeInterval(8 * 86_400))
    }
}

@Suite("The deadline clock")
struct DeadlineClockTests {
    let calendar = WorkingDayCalendar()
    let monday = WorkingDayCalendar().startOfDay(CivilDate(year: 2026, month: 10, day: 5)!).addingTimeInterval(9 * 3600)

    @Test("on time, at risk with less than a working day left, late after the due time")
    func statuses() {
        var clock = DeadlineClock()
        #expect(clock.status(at: monday, calendar: calendar) == .notStarted)
        clock.start(at: monday, workingDays: 2, cutoffHour: nil, calendar: calendar)
        #expect(clock.status(at: monday, calendar: calendar) == .onTime)
        #expect(clock.status(at: monday.addingTimeInterval(86_400 + 3600), calendar: calendar) == .atRisk)
        #expect(clock.status(at: monday.addingTimeInterval(2 * 86_400 + 60), calendar: calendar) == .late)
        var finished = clock
        finished.stop(at: monday.addingTimeInterval(3600))
        #expect(finished.status(at: monday.addingTimeInterval(10 * 86_400), calendar: calendar) == .finishedOnTime)
        clock.stop(at: monday.addingTimeInterval(3 * 86_400))
        #expect(clock.status(at: monday, calendar: calendar) == .finishedLate)
    }

    @Test("a due date skips the weekend and the National Day holiday")
    func skipsHolidays() {
        // Friday 28 August 2026 09:00 + 3 working days: Mon 31 Aug, (1 and 2 Sep off), Thu 3 Sep, Fri 4 Sep.
        let friday = calendar.startOfDay(CivilDate(year: 2026, month: 8, day: 28)!).addingTimeInterval(9 * 3600)
        var clock = DeadlineClock()
        clock.start(at: friday, workingDays: 3, cutoffHour: nil, calendar: calendar)
        let due = calendar.startOfDay(CivilDate(year: 2026, month: 9, day: 4)!).addingTimeInterval(9 * 3600)
        #expect(clock.dueAt == due)
    }
}
