import EGovCore
import Foundation

/// The platform's named access rules, for every module's reads and actions alike.
public enum CasePolicy {
    /// Holds position `position` at the unit `path` or at a unit inside it.
    public static func holds(_ principal: Principal, _ position: Position, atOrBelow path: String) -> Bool {
        principal.grants.contains { $0.position == position && $0.unitPath.hasPrefix(path) }
    }

    /// The principal's positions (where held) that give `permission`.
    public static func grants(_ principal: Principal, with permission: Permission) -> [Principal.Grant] {
        principal.grants.filter { principal.permissionsByPosition[$0.position]?.contains(permission) == true }
    }

    /// The subtrees where the principal holds `permission`, a counter's officer serving the whole commune
    /// or Service Centre the counter belongs to (`Principal.Grant.servedUnitPath`).
    public static func servedScopes(_ principal: Principal, for permission: Permission) -> [String] {
        grants(principal, with: permission).map(\.servedUnitPath)
    }

    /// Holds `permission` for the unit at `path`: at it or above it, or at a counter serving it.
    public static func serves(_ principal: Principal, _ permission: Permission, unitPath path: String) -> Bool {
        servedScopes(principal, for: permission).contains { path.hasPrefix($0) }
    }

    /// The case's own applicant.
    public static func isOwner<Record: CaseRecord>(_ principal: Principal?, of record: Record) -> Bool {
        guard let principal, let owner = record.ownerID else { return false }
        return principal.id == owner
    }

    /// One of the principal's positions holds the case's current step, at the step's unit or one above it
    /// (a division's specialist working for the department): the rule the queue SQL applies.
    public static func holdsCurrentStep<Record: CaseRecord>(_ principal: Principal, _ record: Record) -> Bool {
        guard let holderPath = record.holderUnitPath, let positions = record.holderPositions else { return false }
        return principal.grants.contains { positions.contains(",\($0.position.rawValue),") && $0.unitPath.hasPrefix(holderPath) }
    }

    /// Who may read a case: its owner, whoever holds its current step, or an officer who may read `permission`
    /// where the case was received, is decided or was consulted. Callers answer 404 to everybody else, for
    /// reads and actions alike, so a code's existence is never told.
    public static func canRead<Record: CaseRecord>(_ principal: Principal?, _ record: Record, readPermission permission: Permission) -> Bool {
        guard let principal else { return false }
        if isOwner(principal, of: record) || holdsCurrentStep(principal, record) { return true }
        let paths = record.caseUnits.paths
        return servedScopes(principal, for: permission).contains { scope in paths.contains { $0.hasPrefix(scope) } }
    }

    /// The caller in the engine's terms.
    public static func actor<Record: CaseRecord>(_ principal: Principal?, for record: Record) -> ActorContext {
        let units = record.caseUnits
        return ActorContext(userID: principal?.userID, isApplicant: isOwner(principal, of: record),
                            holdings: principal?.grants.map { .init(position: $0.position, unitPath: $0.unitPath) } ?? [],
                            receivingUnitPath: units.receivingPath, competentUnitPath: units.competentPath,
                            consultedUnitPath: units.consultedPath, satisfied: record.satisfiedConditions)
    }
}
