import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Recall (thu hồi) and replacement of an issued document (issue 14 §10), in edXML's status codes. The issuing
/// body recalls its document with a reason (`recall`), or issues a replacement that recalls the one it replaces;
/// every recipient that has not refused the document hears 13. On this installation the recipient's copy goes to
/// its clerk (the process's `recall`, taken by the platform), who agrees (15: the copy is withdrawn) or refuses
/// with a reason (16: it goes back where it was); to an organ elsewhere a recall message waits in the status outbox.
enum DocumentRecall {
    /// The precondition of the incoming process's automatic `recall`: the sender has asked.
    static let condition = "recall-requested"

    enum State: String {
        case requested, accepted, refused

        var label: LocalizedText {
            switch self {
            case .requested: LocalizedText(vi: "Nơi gửi yêu cầu thu hồi", en: "The sender asks to recall it")
            case .accepted: LocalizedText(vi: "Đã đồng ý thu hồi", en: "Recall accepted")
            case .refused: LocalizedText(vi: "Đã từ chối thu hồi", en: "Recall refused")
            }
        }
    }

    /// Sends the recall of the issued `document`, inside the transaction of its `recall` action.
    static func send(_ document: DocumentModel, reason: String, services: PlatformServices, at now: Date, on tx: any Database) async throws {
        // Code 13 travels elsewhere with the other status messages, as the document's recall message (BussinessDocType 1).
        try await DocumentDelivery.askRecipients(of: document, at: now, message: {
            var message = try await DocumentDelivery.message(for: document, withFiles: false, services: services, on: tx)
            message.business = EdXMLWriter.Business(kind: .recall, reason: reason)
            return EdXMLWriter.write(message, sentAt: now)
        }, local: { incoming in
            if let incoming { try await request(incoming, reason: reason, services: services, on: tx) }
            return true
        }, on: tx)
    }

    /// Asks the unit holding `incoming` to agree to its recall: the platform moves it to the unit's clerk, the
    /// sender's reason in its history, and so for each copy it was sent on as. A copy refused, already recalled or
    /// already asked stays as it is (false).
    @discardableResult
    static func request(_ incoming: DocumentModel, reason: String, services: PlatformServices, on tx: any Database) async throws -> Bool {
        let process = try await DocumentDrafting.process(incoming.processID, on: tx)
        guard incoming.recall != State.requested.rawValue,
              let action = ProcessEngine.automaticAction(in: process, state: try incoming.caseState(), satisfied: [condition]) else { return false }
        try await CaseRuntime<DocumentHooks>.lock(incoming, on: tx)
        let note = String(reason.prefix(CaseHistory.maxNote))
        (incoming.recall, incoming.recallReason) = (State.requested.rawValue, note)
        try await DocumentHooks.runtime(services: services, on: tx).apply(action, to: incoming, definition: process, terms: DocumentModel.terms,
                                                                          by: .system, note: note.isEmpty ? nil : note, assignee: nil, on: tx)
        // The copies the unit sent on to other bodies (`send-on`) are asked too; their answers come back to it.
        for copy in try await DocumentModel.query(on: tx).filter(\.$sourceDocumentID == incoming.requireID())
            .filter(\.$direction == DocumentModel.Direction.incoming.rawValue).all() {
            try await request(copy, reason: reason, services: services, on: tx)
        }
        return true
    }

    /// `replacement`, just issued, recalls the document it replaces, in the issuing transaction: the earlier
    /// document takes its process's `recall` (by the platform), so its recipients hear 13 with the reason.
    static func replace(_ replaced: UUID, by replacement: DocumentModel, services: PlatformServices, on tx: any Database) async throws {
        guard let earlier = try await DocumentModel.find(replaced, on: tx) else { return }
        let process = try await DocumentDrafting.process(earlier.processID, on: tx)
        guard let action = recallAction(of: earlier, in: process) else { return }
        try await CaseRuntime<DocumentHooks>.lock(earlier, on: tx)
        try await DocumentHooks.runtime(services: services, on: tx).apply(action, to: earlier, definition: process, terms: DocumentModel.terms,
                                                                          by: .system, note: replacedReason(by: replacement.notation ?? ""),
                                                                          assignee: nil, on: tx)
    }

    /// What a draft names as the document it replaces: an issued outgoing document of the same issuing body that
    /// the drafter may read.
    static func replaceable(_ id: UUID?, issuer: String, by principal: Principal, on db: any Database) async throws -> UUID? {
        guard let id else { return nil }
        guard let earlier = try await DocumentModel.find(id, on: db), try await DocumentAccess.mayRead(principal, earlier, on: db),
              earlier.direction == DocumentModel.Direction.outgoing.rawValue, earlier.issuerCode == issuer, earlier.issuedAt != nil,
              recallAction(of: earlier, in: try await DocumentDrafting.process(earlier.processID, on: db)) != nil else {
            throw DocumentFields.invalid("replaces", "Văn bản được thay thế phải là văn bản đi đã phát hành của cùng cơ quan ban hành.",
                                         "The document replaced must be an issued outgoing document of the same issuing body.")
        }
        return id
    }

    /// The `recall` an issued document's process offers from where it is now; nil once recalled.
    static func recallAction(of document: DocumentModel, in process: ProcessDefinition) -> ProcessDefinition.Action? {
        process.actions.first { $0.id == DocumentAction.recall && $0.from.contains(document.stepID) }
    }

    /// Why a replaced document is recalled, in its history and in the edXML message: the replacement's notation.
    static func replacedReason(by notation: String) -> String { "Thay thế bằng văn bản \(notation)" }

    /// What the answer to a recall leaves on the copy: `accepted` or `refused`.
    static func answer(_ actionID: String) -> State? {
        switch actionID {
        case DocumentAction.acceptRecall: .accepted
        case DocumentAction.refuseRecall: .refused
        default: nil
        }
    }
}
