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

/// The platform's access policies (`CasePolicy`) in the one-stop-shop's terms: reads need `dossiers.read`.
enum DossierAccess {
    static func isApplicant(_ principal: Principal?, of dossier: DossierModel) -> Bool {
        CasePolicy.isOwner(principal, of: dossier)
    }

    /// The subtrees whose dossiers an officer sees.
    static func readScopes(_ principal: Principal) -> [String] {
        CasePolicy.servedScopes(principal, for: OneStopPermission.dossiersRead)
    }

    static func canRead(_ principal: Principal?, _ dossier: DossierModel) -> Bool {
        CasePolicy.canRead(principal, dossier, readPermission: OneStopPermission.dossiersRead)
    }

    /// A one-stop officer serving the receiving unit: takes the fees in cash.
    static func mayTakeCash(_ principal: Principal, for dossier: DossierModel) -> Bool {
        CasePolicy.serves(principal, OneStopPermission.dossiersReceive, unitPath: dossier.receivingUnitPath)
    }

    static func actor(_ principal: Principal?, for dossier: DossierModel) -> ActorContext {
        CasePolicy.actor(principal, for: dossier)
    }
}
