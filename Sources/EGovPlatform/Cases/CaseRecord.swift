import EGovCore
import Fluent
import Foundation

/// A row a module moves through a configured process (a dossier, a document, a petition): the
/// columns the case runtime keeps so that queues and deadline lists are plain indexed queries.
///
/// The module's table has these columns under these names (`CasePredicates` queries them):
/// `version`, `state`, `step_id`, `status`, `holder_positions`, `holder_unit_path`,
/// `holder_applicant`, `assignee_id`, `assignee_name`, `due_at`, `step_due_at`, `clock_paused`,
/// `paused_late`, `finished_at`, `finished_late`, `received_at`, `updated_at`, and the unit paths
/// `receiving_unit_path`, `competent_unit_path`, `consulted_unit_path`. Its history table has the
/// columns `CaseHistory` writes.
public protocol CaseRecord: Model, Sendable where IDValue == UUID {
    /// The word for one case, in audit targets (`dossier:CODE`) and action names (`dossier.receive`).
    static var caseKind: String { get }
    /// "hồ sơ" / "dossier", in messages.
    static var caseNoun: LocalizedText { get }
    /// The table of the case's history events, and its column naming the case.
    static var historySchema: String { get }
    static var historyCaseColumn: String { get }

    /// The code people quote (a dossier code, a document's registration number).
    var caseCode: String { get }
    /// The account that owns the case (its applicant), when there is one.
    var ownerID: UUID? { get }
    /// Where the case was received, who decides it, and the unit consulted while it is there.
    var caseUnits: CaseUnits { get }
    /// Preconditions of automatic actions that hold now (`fee-paid`, …).
    var satisfiedConditions: Set<String> { get }

    var version: Int { get set }
    var state: String { get set }
    var stepID: String { get set }
    var status: String { get set }
    var holderPositions: String? { get set }
    var holderUnitPath: String? { get set }
    var holderApplicant: Bool { get set }
    var assigneeID: UUID? { get set }
    var assigneeName: String? { get set }
    var dueAt: Date? { get set }
    var stepDueAt: Date? { get set }
    var clockPaused: Bool { get set }
    var pausedLate: Bool { get set }
    var finishedAt: Date? { get set }
    var finishedLate: Bool? { get set }
    var receivedAt: Date? { get set }
    var updatedAt: Date { get set }
}

/// The units a case's process names by role (`ProcessDefinition.Holder.UnitRole`).
public struct CaseUnits: Sendable, Hashable {
    public var receivingCode: String
    public var receivingPath: String
    public var competentCode: String
    public var competentPath: String
    public var consultedCode: String?
    public var consultedPath: String?

    public init(receivingCode: String, receivingPath: String, competentCode: String, competentPath: String,
                consultedCode: String? = nil, consultedPath: String? = nil) {
        self.receivingCode = receivingCode
        self.receivingPath = receivingPath
        self.competentCode = competentCode
        self.competentPath = competentPath
        self.consultedCode = consultedCode
        self.consultedPath = consultedPath
    }

    public func path(for role: ProcessDefinition.Holder.UnitRole) -> String {
        switch role {
        case .receiving: receivingPath
        case .competent: competentPath
        case .consulted: consultedPath ?? competentPath
        }
    }

    public func code(for role: ProcessDefinition.Holder.UnitRole) -> String {
        switch role {
        case .receiving: receivingCode
        case .competent: competentCode
        case .consulted: consultedCode ?? competentCode
        }
    }

    /// Every unit the case concerns, for read scopes.
    public var paths: [String] { [receivingPath, competentPath] + (consultedPath.map { [$0] } ?? []) }
}

/// The deadline terms of one case: the working days its process gives and the hour after which a
/// submission counts from the next working day.
public struct CaseTerms: Sendable, Hashable {
    public var workingDays: Int
    public var cutoffHour: Int?

    public init(workingDays: Int, cutoffHour: Int?) {
        self.workingDays = workingDays
        self.cutoffHour = cutoffHour
    }
}

/// Who takes an action: a signed-in account, or the platform itself (a confirmed payment).
public struct ActingParty: Sendable {
    public let principal: Principal?
    public let clientAddress: String?

    public init(principal: Principal?, clientAddress: String?) {
        self.principal = principal
        self.clientAddress = clientAddress
    }

    public static let system = ActingParty(principal: nil, clientAddress: nil)

    public var name: String { principal?.fullName ?? "Hệ thống" }
    public var username: String { principal?.username ?? "system" }
}
