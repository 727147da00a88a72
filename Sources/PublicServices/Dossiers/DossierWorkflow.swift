import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// A file an action brings (a supplement, a signed result): its bytes already in the file store,
/// its rows written with the action.
struct StoredUpload: Sendable {
    let componentID: String?
    let name: String
    let contentType: String
    let size: Int
    let sha256: String
    /// This request wrote the bytes (nobody had the content before): take them back if it is refused.
    var created = false
    /// A signed result's verification code, recorded with it.
    var verificationCode: String? = nil
}

extension Array where Element == StoredUpload {
    /// Runs `body`; if it fails, removes the bytes these uploads added to the file store, then rethrows.
    func discardingOnFailure<T>(_ files: FileStore, on db: any Database, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            await files.discard(filter(\.created).map(\.sha256), on: db)
            throw error
        }
    }
}

/// A dossier as a platform case: the one-stop-shop's columns, words and after-action work.
extension DossierModel: CaseRecord {
    static var caseKind: String { "dossier" }
    static var caseNoun: LocalizedText { LocalizedText(vi: "hồ sơ", en: "dossier") }
    static var historySchema: String { DossierEventModel.schema }
    static var historyCaseColumn: String { "dossier_id" }

    var caseCode: String { code }
    var ownerID: UUID? { applicantID }
    var caseUnits: CaseUnits {
        CaseUnits(receivingCode: receivingUnitCode, receivingPath: receivingUnitPath, competentCode: competentUnitCode,
                  competentPath: competentUnitPath, consultedCode: consultedUnitCode, consultedPath: consultedUnitPath)
    }

    /// Preconditions that hold now, for the engine.
    var satisfiedConditions: Set<String> {
        feePaid || feeAmount == 0 ? [DossierHooks.feePaid] : []
    }
}

/// What the one-stop-shop adds to each action the case runtime takes on a dossier.
struct DossierHooks: CaseHooks {
    static let feePaid = "fee-paid"

    let services: PlatformServices

    func willSave(_ dossier: DossierModel, after action: ProcessDefinition.Action) {
        if action.clock == .pause { dossier.supplementRequests += 1 }
    }

    func didApply(_ action: ProcessDefinition.Action, to dossier: DossierModel, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws {
        try await DossierNotifications(services: services).after(action, dossier: dossier, note: event.note, assignee: assignee,
                                                                 at: event.at, on: tx)
    }

    func unmet(_ condition: String) -> LocalizedText? { Self.unmetText(condition) }

    static func unmetText(_ condition: String) -> LocalizedText? {
        condition == feePaid ? LocalizedText(vi: "Hồ sơ chưa nộp đủ phí, lệ phí.", en: "The fees have not been paid.") : nil
    }
}

/// The case runtime over dossiers.
typealias DossierRuntime = CaseRuntime<DossierHooks>

extension DossierRuntime {
    init(services: PlatformServices, calendar: WorkingDayCalendar) {
        self.init(services: services, calendar: calendar, hooks: DossierHooks(services: services))
    }
}

extension Procedure {
    /// The deadline terms its dossiers run under.
    var terms: CaseTerms { CaseTerms(workingDays: processingDays, cutoffHour: cutoffHour) }
}
