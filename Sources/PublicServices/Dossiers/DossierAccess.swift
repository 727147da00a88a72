import EGovCore
import EGovPlatform
import Foundation

/// The one-stop-shop's permissions, granted per position on the unit's subtree.
enum OneStopPermission {
    /// See dossiers received or decided in the subtree.
    static let dossiersRead = Permission("public-services.dossiers.read")
    /// Enter dossiers at a counter for an applicant.
    static let dossiersReceive = Permission("public-services.dossiers.receive")
    /// See the unit's statistics and ratings.
    static let statsRead = Permission("public-services.stats.read")
    /// Edit the procedure catalogue between pack imports.
    static let catalogueManage = Permission("public-services.catalogue.manage")

    static var declarations: [ModulePermission] {
        [
            ModulePermission(dossiersRead, grantedTo: [.leader, .deputy, .specialist, .clerk, .oneStopOfficer]),
            ModulePermission(dossiersReceive, grantedTo: [.oneStopOfficer]),
            ModulePermission(statsRead, grantedTo: [.leader, .deputy, .admin, .oneStopOfficer]),
            ModulePermission(catalogueManage, grantedTo: [.admin]),
        ]
    }
}

/// Who may see a dossier and act on it.
enum DossierAccess {
    static func isApplicant(_ principal: Principal?, of dossier: DossierModel) -> Bool {
        guard let principal, let owner = dossier.applicantID else { return false }
        return principal.id == owner
    }

    /// The subtrees whose dossiers an officer sees: where they hold `dossiers.read`, a counter's
    /// officer seeing the whole commune or Service Centre the counter belongs to.
    static func readScopes(_ principal: Principal) -> [String] {
        principal.grants.filter { principal.permissionsByPosition[$0.position]?.contains(OneStopPermission.dossiersRead) == true }
            .map(\.servedUnitPath)
    }

    /// Its applicant, an officer who may read dossiers where it was received, is decided or was consulted,
    /// or whoever holds its current step (a division's specialist working for the department).
    static func canRead(_ principal: Principal?, _ dossier: DossierModel) -> Bool {
        guard let principal else { return false }
        if isApplicant(principal, of: dossier) { return true }
        if let holderPath = dossier.holderUnitPath, let positions = dossier.holderPositions,
           principal.grants.contains(where: { positions.contains(",\($0.position.rawValue),") && $0.unitPath.hasPrefix(holderPath) }) {
            return true
        }
        return readScopes(principal).contains { scope in
            [dossier.receivingUnitPath, dossier.competentUnitPath, dossier.consultedUnitPath].contains { $0?.hasPrefix(scope) == true }
        }
    }

    /// The caller in the engine's terms.
    static func actor(_ principal: Principal?, for dossier: DossierModel) -> ActorContext {
        ActorContext(userID: principal?.userID, isApplicant: isApplicant(principal, of: dossier),
                     holdings: principal?.grants.map { .init(position: $0.position, unitPath: $0.unitPath) } ?? [],
                     receivingUnitPath: dossier.receivingUnitPath, competentUnitPath: dossier.competentUnitPath,
                     consultedUnitPath: dossier.consultedUnitPath, satisfied: dossier.satisfiedConditions)
    }
}
