import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// A dossier as its applicant and the officers in charge see it.
struct DossierDTO: Content {
    struct Applicant: Content {
        let fullName: String
        let idNumber: String?
        let phone: String?
        let email: String?
        let address: String?
    }

    struct Step: Content {
        let id: String
        let name: String
        let dueAt: Date?
        let deadline: String
        let assignee: String?
    }

    struct Fee: Content {
        let amount: Int
        let paid: Bool
        let paidAt: Date?
    }

    struct File: Content {
        let id: UUID
        let componentId: String?
        let kind: String
        let name: String
        let contentType: String
        let size: Int
        let url: String
        /// A signed result's verification code (mã kiểm tra), for `/kiem-tra-chu-ky?ma=CODE`.
        let verificationCode: String?
    }

    struct Event: Content {
        let seq: Int
        let action: String
        let actionName: String
        let step: String
        let stepName: String
        let status: String
        let actor: String
        let at: Date
        let note: String?
        let assignee: String?
        let files: [String]
        let stepOnTime: Bool?

        init(_ event: CaseEvent) {
            seq = event.seq
            action = event.actionID
            actionName = event.actionName
            step = event.toStep
            stepName = event.toStepName
            status = event.status
            actor = event.actorName
            at = event.at
            note = event.note
            assignee = event.assigneeName
            files = event.files
            stepOnTime = event.stepOnTime
        }
    }

    let code: String
    let status: String
    let statusName: String
    let procedureCode: String
    let procedureName: String
    let unitCode: String
    let receivingUnitCode: String
    let channel: String
    let interLevel: Bool
    let resultDelivery: String
    @NullEncodable var consultedUnitCode: String?
    let applicant: Applicant
    let form: JSONValue
    let submittedAt: Date
    @NullEncodable var receivedAt: Date?
    @NullEncodable var dueAt: Date?
    @NullEncodable var finishedAt: Date?
    /// on-time, at-risk, late, paused, finished-on-time, finished-late or not-started.
    let deadline: String
    let currentStep: Step
    let fee: Fee
    let supplementRequests: Int
    let files: [File]
    let history: [Event]

    /// A dossier's files and history as a transaction wrote them, for an answer that does not read them back.
    struct Written: Sendable {
        let files: [DossierFileModel]
        let events: [CaseEvent]
    }

    static func make(_ dossier: DossierModel, definition: ProcessDefinition?, services: PlatformServices, calendar: WorkingDayCalendar,
                     now: Date, language: Language, written: Written? = nil, on db: any Database) async throws -> DossierDTO {
        let id = try dossier.requireID()
        let files = if let written { written.files.sorted { ($0.eventSeq, $0.name) < ($1.eventSeq, $1.name) } } else {
            try await DossierFileModel.query(on: db).filter(\.$dossierID == id).sort(\.$eventSeq).sort(\.$name).all()
        }
        let events = if let written { written.events.sorted { $0.seq < $1.seq } } else {
            try await CaseHistory.events(of: dossier, limit: 10_000, on: db)
        }
        let codes = try await VerificationCodes.codes(of: files.filter { $0.kind == DossierFileModel.Kind.result.rawValue }.map(\.sha256),
                                                      target: "dossier:\(dossier.code)", on: db)
        let status = DossierStatus(rawValue: dossier.status)
        let deadlines = dossier.deadlineStatuses(at: now, calendar: calendar)
        return DossierDTO(
            code: dossier.code, status: dossier.status, statusName: status?.label.text(language) ?? dossier.status,
            procedureCode: dossier.procedureCode, procedureName: dossier.procedureName, unitCode: dossier.competentUnitCode,
            receivingUnitCode: dossier.receivingUnitCode, channel: dossier.channel, interLevel: dossier.interLevel,
            resultDelivery: dossier.resultDelivery, consultedUnitCode: dossier.consultedUnitCode,
            applicant: Applicant(fullName: dossier.applicantName, idNumber: try dossier.applicantIDSealed.map(services.personalData.open),
                                 phone: try dossier.applicantPhoneSealed.map(services.personalData.open), email: dossier.applicantEmail,
                                 address: dossier.applicantAddress),
            form: (try? JSONDecoder().decode(JSONValue.self, from: Data(dossier.form.utf8))) ?? .object([:]),
            submittedAt: dossier.submittedAt, receivedAt: dossier.receivedAt, dueAt: dossier.dueAt, finishedAt: dossier.finishedAt,
            deadline: deadlines.overall.rawValue,
            currentStep: Step(id: dossier.stepID, name: definition?.step(dossier.stepID)?.name ?? dossier.stepID, dueAt: dossier.stepDueAt,
                              deadline: deadlines.step.rawValue, assignee: dossier.assigneeName),
            fee: Fee(amount: dossier.feeAmount, paid: dossier.feePaid, paidAt: dossier.paidAt),
            supplementRequests: dossier.supplementRequests,
            files: try files.map { file in
                File(id: try file.requireID(), componentId: file.componentID, kind: file.kind, name: file.name, contentType: file.contentType,
                     size: file.size, url: "/api/v1/dossiers/\(dossier.code)/files/\(try file.requireID().uuidString.lowercased())",
                     verificationCode: file.kind == DossierFileModel.Kind.result.rawValue ? codes[file.sha256] : nil)
            },
            history: events.map(Event.init))
    }
}

/// One line of a dossier list.
struct DossierSummaryDTO: Content {
    let code: String
    let procedureCode: String
    let procedureName: String
    let applicantName: String
    let unitCode: String
    let receivingUnitCode: String
    let status: String
    let statusName: String
    let submittedAt: Date
    @NullEncodable var dueAt: Date?
    @NullEncodable var stepDueAt: Date?
    let deadline: String
    let stepDeadline: String

    init(_ dossier: DossierModel, now: Date, calendar: WorkingDayCalendar, language: Language) {
        code = dossier.code
        procedureCode = dossier.procedureCode
        procedureName = dossier.procedureName
        applicantName = dossier.applicantName
        unitCode = dossier.competentUnitCode
        receivingUnitCode = dossier.receivingUnitCode
        status = dossier.status
        statusName = DossierStatus(rawValue: dossier.status)?.label.text(language) ?? dossier.status
        submittedAt = dossier.submittedAt
        dueAt = dossier.dueAt
        stepDueAt = dossier.stepDueAt
        let statuses = dossier.deadlineStatuses(at: now, calendar: calendar)
        deadline = statuses.overall.rawValue
        stepDeadline = statuses.step.rawValue
    }
}

/// What anyone may see with a dossier code: no personal data.
struct PublicDossierDTO: Content {
    let code: String
    let status: String
    let statusName: String
    @NullEncodable var dueAt: Date?
    let currentStep: String
    let procedureName: String
    @NullEncodable var receivedAt: Date?
    @NullEncodable var finishedAt: Date?
}

struct ActionDTO: Content {
    let id: String
    let name: String
    let needsNote: Bool
    /// The signatures the action puts on its result (`officer`, `seal`): the PINs it asks for.
    let sign: [String]

    init(_ action: ProcessDefinition.Action) {
        (id, name, needsNote, sign) = (action.id, action.name, action.needsNote, action.sign.map(\.rawValue))
    }
}

struct ActionInput: Content {
    var note: String?
    var assignee: String?
    /// For `consult`: the code of the unit asked for its opinion.
    var unit: String?
    var attachments: [AttachmentInput]?
    /// For an action that signs its result: the caller's signing PIN and the competent unit's seal PIN.
    var signingPin: String?
    var sealPin: String?
}
