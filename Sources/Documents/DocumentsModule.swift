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
    /// The process an outgoing draft follows (`modules/documents/processes.yaml`), unless its issuing body names
    /// another (`process:` in `issuers.yaml`).
    static let outgoingProcess = "outgoing"

    public init() {}

    public var id: String { Self.moduleID }
    public var name: LocalizedText { LocalizedText(vi: "Quản lý văn bản và điều hành", en: "Documents") }
    public func migrations() -> [any Migration] {
        [CreateDocumentTables(), CreateDocumentFiles(), CreateDocumentDelivery(),
         AddColumn(name: "documents.004.search", schema: DocumentModel.schema, column: "search_text", type: .string),
         AddEdXMLDocumentID(),
         AddColumn(name: "documents.006.sender-name", schema: DocumentModel.schema, column: "sender_name", type: .string),
         CreateStatusOutbox(),
         AddColumn(name: "documents.008.channel", schema: DocumentModel.schema, column: "channel", type: .string),
         AddColumn(name: "documents.009.default-handler", schema: IssuerModel.schema, column: "default_handler", type: .string),
         AddColumn(name: "documents.010.reminded-on", schema: DocumentModel.schema, column: "reminded_on", type: .string),
         AddFollowerIndexes(), AddOCRColumns(), AddSearchIndex(),
         AddColumn(name: "documents.014.outgoing-process", schema: IssuerModel.schema, column: "outgoing_process", type: .string),
         AddCreatedIndex(),
         AddColumn(name: "documents.016.recall", schema: DocumentModel.schema, column: "recall", type: .string),
         AddColumn(name: "documents.017.recall-reason", schema: DocumentModel.schema, column: "recall_reason", type: .string),
         AddColumn(name: "documents.018.replaces", schema: DocumentModel.schema, column: "replaces_id", type: .uuid),
         AddColumn(name: "documents.019.edxml-sha256", schema: DocumentModel.schema, column: "edxml_sha256", type: .string),
         AddWordIndex(), CreateDocumentTemplates(),
         AddColumn(name: "documents.022.pending-update", schema: DocumentModel.schema, column: "pending_update", type: .string),
         AddColumn(name: "documents.023.leading-zero", schema: IssuerModel.schema, column: "leading_zero", type: .bool),
         AddCaseQueueIndex(name: "documents.024.queue-index", table: DocumentModel.schema),
         AddCaseScopeIndexes(name: "documents.025.scope-indexes", table: DocumentModel.schema, history: DocumentModel.historySchema),
         AddCaseHoldings(name: "documents.026.holdings", table: DocumentModel.schema)]
    }
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
        let signedIn = routes.web.grouped(RequirePrincipal())
        for pages: any RouteCollection in [DocumentListPage(), DraftPage(), ScanPage(), DashboardPage(), RegisterPage(), DocumentPage()] {
            try signedIn.register(collection: pages)
        }
    }

    /// "Văn bản" for an officer who reads or drafts documents somewhere (or holds a document's step).
    public func menu(for principal: Principal?) -> [MenuItem] {
        guard let principal, principal.kind == .officer,
              !CasePolicy.grants(principal, with: Self.read).isEmpty || !CasePolicy.grants(principal, with: Self.draft).isEmpty else { return [] }
        return [MenuItem(title: DocumentText.documents, href: DocumentRoute.list(box: nil, q: nil, page: 1).path)]
    }

    public func openAPI() -> OpenAPIContribution { DocumentsAPI.openAPI }

    /// `egov bench-data --documents N`: a year of documents over the pack's issuing bodies.
    public func benchData() -> BenchDataGenerator? {
        BenchDataGenerator(noun: "documents") { count, services, db, progress in
            try await DocumentBenchData.generate(count, services: services, on: db, progress: progress)
        }
    }

    /// Every ten minutes: today's reminders to the handlers of incoming documents at risk or late. Every five
    /// seconds: OCR of the scans waiting for it.
    public func periodicJobs() -> [PeriodicJob] {
        [PeriodicJob(name: "document-reminders", interval: 600) { app in try await DocumentReminders.run(services: app.egov, on: app.db) },
         PeriodicJob(name: "document-ocr", interval: 5) { app in try await DocumentOCR.run(services: app.egov, on: app.db, logger: app.logger) }]
    }
}
