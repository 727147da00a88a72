import EGovCore
import EGovPlatform
import Fluent

/// What the documents module adds to an action the case runtime takes: at issuance the number, the notation and
/// the sending (and the recall of what it replaces); a recall sent to the recipients; on an incoming document its
/// arrival number at registration, and its status back to the sender.
struct DocumentHooks: CaseHooks {
    let services: PlatformServices
    /// At issuance: the issuing body's seal, applied in the issuing transaction once the number is known.
    var sealing: ResultSigning?

    /// The case runtime that moves documents, with this module's hooks and the working-day calendar of now (and,
    /// at issuance, the seal to apply): the one place the module builds it.
    static func runtime(services: PlatformServices, sealing: ResultSigning? = nil, on db: any Database) async throws -> CaseRuntime<DocumentHooks> {
        CaseRuntime(services: services, calendar: try await services.calendars.calendar(on: db, now: services.clock.now()),
                    hooks: DocumentHooks(services: services, sealing: sealing))
    }

    /// The clerk's answer to a recall stays on the copy, so the platform does not ask again.
    func willSave(_ document: DocumentModel, after action: ProcessDefinition.Action) {
        if document.direction == DocumentModel.Direction.incoming.rawValue, let answer = DocumentRecall.answer(action.id) {
            document.recall = answer.rawValue
        }
    }

    func didApply(_ action: ProcessDefinition.Action, to document: DocumentModel, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws {
        switch (DocumentModel.Direction(rawValue: document.direction), action.id) {
        case (.outgoing, DocumentsModule.issue) where document.number == nil:
            try await DocumentIssuance.issue(document, action: action, event: event, sealing: sealing, services: services, on: tx)
        case (.outgoing, DocumentAction.recall):
            try await DocumentRecall.send(document, reason: event.note ?? "", services: services, at: event.at, on: tx)
        case (.incoming, DocumentAction.register) where document.arrivalNumber == nil:
            try await DocumentIssuance.arrive(document, at: event.at, on: tx)
            try await DocumentDelivery.report(document, .registered, event: event, on: tx)
        case (.incoming, DocumentAction.refuse):
            try await DocumentDelivery.report(document, .refused, event: event, on: tx)
        case (.incoming, DocumentAction.assign):
            try await DocumentDelivery.report(document, .assigned, event: event, on: tx)
        case (.incoming, DocumentAction.report), (.incoming, DocumentAction.forward), (.incoming, DocumentAction.sendOn):
            try await DocumentDelivery.report(document, .inProgress, event: event, on: tx)
        case (.incoming, DocumentAction.complete):
            try await DocumentDelivery.report(document, .done, event: event, on: tx)
        case (.incoming, DocumentAction.acceptUpdate), (.incoming, DocumentAction.refuseUpdate):
            try await DocumentUpdates.answer(document, accepted: action.id == DocumentAction.acceptUpdate, event: event, services: services, on: tx)
        case (.incoming, DocumentAction.acceptRecall):
            try await DocumentDelivery.report(document, .recallAccepted, event: event, on: tx)
        case (.incoming, DocumentAction.refuseRecall):
            try await DocumentDelivery.report(document, .recallRefused, event: event, on: tx)
        default:
            break
        }
    }
}
