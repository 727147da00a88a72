import EGovCore
import EGovPlatform
import Fluent

/// What the documents module adds to an action the case runtime takes: the number and notation at issuance.
struct DocumentHooks: CaseHooks {
    let services: PlatformServices

    func didApply(_ action: ProcessDefinition.Action, to document: DocumentModel, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws {
        if action.id == DocumentsModule.issue, document.number == nil {
            try await DocumentIssuance.number(document, at: event.at, on: tx)
        }
    }
}
