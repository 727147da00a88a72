import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import Vapor

/// Official documents (Quản lý văn bản và điều hành, issue 14): outgoing documents drafted, reviewed, approved
/// and issued with their number and notation, moved through configured processes by the platform's case runtime.
/// The module holds what a document is; the runtime holds the row lock, the history, the holders and the queues.
public struct DocumentsModule: EGovModule {
    public static let moduleID = "documents"
    /// Reads the documents of a unit's subtree (its leaders, its clerks).
    public static let read = Permission("documents.read")
    /// Drafts outgoing documents.
    public static let draft = Permission("documents.draft")
    /// The head of a division (trưởng phòng), who reviews drafts before the leader approves them.
    public static let divisionHead = Position("divisionHead")
    static let issue = "issue"
    /// The process an outgoing draft follows (`modules/documents/processes.yaml`).
    static let outgoingProcess = "outgoing"

    public init() {}

    public var id: String { Self.moduleID }
    public var name: LocalizedText { LocalizedText(vi: "Quản lý văn bản và điều hành", en: "Documents") }
    public func migrations() -> [any Migration] { [CreateDocumentTables(), CreateDocumentFiles(), CreateDocumentDelivery(), AddDocumentSearch(), AddEdXMLDocumentID(), AddSenderName(), CreateStatusOutbox(), AddChannel(), AddDefaultHandler()] }
    public func positions() -> [ModulePosition] {
        [ModulePosition(Self.divisionHead, label: LocalizedText(vi: "Trưởng phòng", en: "Head of division"))]
    }
    public func permissions() -> [ModulePermission] {
        [ModulePermission(Self.read, grantedTo: [.leader, .deputy, .clerk, Self.divisionHead]),
         ModulePermission(Self.draft, grantedTo: [.leader, .deputy, .clerk, .specialist, Self.divisionHead])]
    }

    public func importPack(from directory: URL, on database: any Database) async throws {
        guard let pack = try DocumentsPack.read(directory) else { return }
        try await pack.store(on: database)
    }

    public func boot(_ app: Application, routes: ModuleRoutes) async throws {
        try routes.api.register(collection: DocumentsAPI())
    }

    public func openAPI() -> OpenAPIContribution { DocumentsAPI.openAPI }
}
