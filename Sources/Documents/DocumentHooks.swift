import EGovCore
import EGovPlatform
import Fluent

/// What the documents module adds to an action the case runtime takes: at issuance the number, the notation and
/// the sending; on an incoming document its arrival number at registration, and its status back to the sender.
struct DocumentHooks: CaseHooks {
    let services: PlatformServices

    func didApply(_ action: ProcessDefinition.Action, to document: DocumentModel, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws {
        switch (DocumentModel.Direction(rawValue: document.direction), action.id) {
        case (.outgoing, DocumentsModule.issue) where document.number == nil:
            try await DocumentIssuance.number(document, at: event.at, on: tx)
            try await DocumentDelivery.deliver(document, services: services, at: event.at, on: tx)
        case (.incoming, DocumentAction.register) where document.arrivalNumber == nil:
            try await DocumentIssuance.arrive(document, at: event.at, on: tx)
            try await DocumentDelivery.report(document, .registered, event: event, on: tx)
        case (.incoming, DocumentAction.refuse):
            try await DocumentDelivery.report(document, .refused, event: event, on: tx)
        case (.incoming, DocumentAction.assign):
            try await DocumentDelivery.report(document, .assigned, event: event, on: tx)
        case (.incoming, DocumentAction.report):
            try await DocumentDelivery.report(document, .inProgress, event: event, on: tx)
        case (.incoming, DocumentAction.complete):
            try await DocumentDelivery.report(document, .done, event: event, on: tx)
        default:
            break
        }
    }
}
