import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Giving signing keys out and keeping them usable (issue 13 §1, §5), beside `PKIAPI`:
/// `POST /api/v1/pki/certificates` issues an officer or a unit's seal a certificate and key — a first one, a
/// renewal, or the way back from a locked or forgotten PIN, superseding the one before — by whoever manages the
/// holder's accounts, with the CA passphrase; `POST /api/v1/pki/certificates/{serial}/pin` lets the holder
/// change the PIN with the current one.
struct PKIIssuance: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped("pki", "certificates").grouped(RequirePrincipal())
        signedIn.post(use: issue)
        signedIn.post(":serial", "pin", use: changePIN)
    }

    struct IssueRequest: Content {
        let user: String?
        let unit: String?
        let pin: String?
        let keyType: String?
        let caPassphrase: String?
    }

    struct IssuedDTO: Content {
        let serial, subject: String
        let notBefore, notAfter: Date
        let status, pem: String
        /// The PIN the platform made, when none was given: shown once, to hand to the holder.
        let pin: String?
        /// The serials of the certificates this one replaces, now revoked as superseded.
        let superseded: [String]
    }

    static let newPINRule = (vi: "Mã PIN mới phải dài từ 6 đến 64 ký tự.", en: "The new PIN must be 6 to 64 characters long.")

    func issue(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let body = try req.content.decode(IssueRequest.self)
        let holder: CertificateAuthority.Holder
        let unitName: String
        switch (body.user, body.unit) {
        case (let username?, nil):
            guard username.utf8.count <= 200, let user = try await UserModel.query(on: req.db).filter(\.$username == username).first() else {
                throw EGovError.notFound(LocalizedText(vi: "Không có người dùng “\(username.prefix(200))”.", en: "No user “\(username.prefix(200))”."))
            }
            guard user.kind == UserModel.Kind.officer.rawValue else {
                throw EGovError.validation([ValidationError(field: "user", vi: "Chỉ cán bộ mới được cấp chứng thư ký số.",
                                                            en: "Only officers get signing certificates.")])
            }
            let units = try await PKIAPI.units(of: try user.requireID(), on: req.db)
            guard let unit = units.first(where: { principal.can(.usersManage, on: $0) }) else { throw EGovError.forbidden }
            (holder, unitName) = (.officer(user), unit.name)
        case (nil, let code?):
            guard code.utf8.count <= 64, let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first() else {
                throw EGovError.notFound(LocalizedText(vi: "Không có đơn vị mã “\(code.prefix(64))”.", en: "No unit with code “\(code.prefix(64))”."))
            }
            guard principal.can(.usersManage, on: unit) else { throw EGovError.forbidden }
            (holder, unitName) = (.seal(unit), unit.name)
        default:
            throw EGovError.validation([ValidationError(field: "user", vi: "Nêu đúng một trong hai: “user” (tên đăng nhập của cán bộ) hoặc “unit” (mã đơn vị, cho con dấu số).",
                                                        en: "Give exactly one of “user” (an officer's username) or “unit” (a unit's code, for its seal).")])
        }
        let pin: String
        if let given = body.pin {
            guard let checked = SigningKeys.checkedNewPIN(given) else {
                throw EGovError.validation([ValidationError(field: "pin", vi: Self.newPINRule.vi, en: Self.newPINRule.en)])
            }
            pin = checked
        } else {
            pin = SigningKeys.generatedPIN()
        }
        guard let keyType = SigningKeyType(rawValue: body.keyType ?? SigningKeyType.rsa2048.rawValue) else {
            let names = SigningKeyType.allCases.map(\.rawValue).joined(separator: ", ")
            throw EGovError.validation([ValidationError(field: "keyType", vi: "“keyType” phải là một trong: \(names).", en: "“keyType” must be one of: \(names).")])
        }
        guard let passphrase = body.caPassphrase, !passphrase.isEmpty, passphrase.utf8.count <= 1024 else {
            throw CertificateAuthority.wrongPassphrase
        }
        let now = req.egov.clock.now()
        let (issued, superseded) = try await CertificateAuthority.issue(for: holder, unitName: unitName, pin: pin, keyType: keyType,
                                                                        caPassphrase: passphrase, at: now, on: req.db)
        try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                             action: "pki.issue", target: "certificate:\(issued.serial)",
                                             summary: issued.subject + (superseded.isEmpty ? "" : "; superseded " + superseded.joined(separator: ", "))),
                                  at: now, on: req.db)
        let dto = IssuedDTO(serial: issued.serial, subject: issued.subject, notBefore: issued.notBefore, notAfter: issued.notAfter,
                            status: issued.status, pem: issued.certificatePEM, pin: body.pin == nil ? pin : nil, superseded: superseded)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    struct PINRequest: Content {
        let pin: String?
        let newPin: String?
    }

    /// The holder changes the PIN of their current key: the officer themselves, or for a seal whoever may use it.
    func changePIN(_ req: Request) async throws -> PKIAPI.CertificateDTO {
        let principal = try req.principal()
        let certificate = try await PKIAPI.certificate(req)
        let serial = certificate.serial
        let holder: SigningKeys.Holder
        if let userID = certificate.userID {
            guard userID == principal.id else { throw EGovError.forbidden }
            holder = .officer(userID)
        } else if let unitID = certificate.unitID, let unit = try await UnitModel.find(unitID, on: req.db) {
            guard principal.can(.signaturesSeal, on: unit) else { throw EGovError.forbidden }
            holder = .seal(unitID)
        } else {
            throw EGovError.forbidden
        }
        let body = try req.content.decode(PINRequest.self)
        guard let pin = SigningKeys.checkedPIN(body.pin) else {
            throw EGovError.validation([ValidationError(field: "pin", vi: "Vui lòng nhập mã PIN hiện tại.", en: "Please give the current PIN.")])
        }
        guard let newPin = SigningKeys.checkedNewPIN(body.newPin) else {
            throw EGovError.validation([ValidationError(field: "newPin", vi: Self.newPINRule.vi, en: Self.newPINRule.en)])
        }
        let now = req.egov.clock.now()
        try await SigningKeys.changePIN(holder, serial: serial, pin: pin, newPin: newPin, at: now, threadPool: req.application.threadPool, on: req.db)
        try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                             action: "pki.pin", target: "certificate:\(serial)", summary: certificate.subject),
                                  at: now, on: req.db)
        return PKIAPI.CertificateDTO(certificate)
    }
}
