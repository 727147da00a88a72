import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The locality's PKI: `GET /api/v1/pki/ca.pem` (public, the CA chain) and
/// `GET /api/v1/pki/certificates?user=USERNAME` (an officer's signing certificates, for the officer and
/// whoever may read the account).
struct PKIAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pki = routes.grouped("pki")
        pki.get("ca.pem", use: chain)
        pki.get("crl.pem", use: crl)
        pki.get("trusted", use: trusted)
        pki.get("tsa.pem", use: tsaCertificate)
        pki.grouped(AuthRateLimit.verification).on(.POST, "tsa", body: .collect(maxSize: "16kb"), use: timeStamp)
        let signedIn = pki.grouped(RequirePrincipal())
        signedIn.get("certificates", use: certificates)
        signedIn.post("certificates", ":serial", "revoke", use: revoke)
        signedIn.on(.POST, "trusted", body: .collect(maxSize: "1mb"), use: trust)
        signedIn.on(.POST, "trusted", "crl", body: .collect(maxSize: "8mb"), use: trustCRL)
    }

    struct TrustedDTO: Content { let items: [TrustedAuthorities.Entry] }

    /// The locality's RFC 3161 time-stamping authority (public, as a TSA is): a DER TimeStampReq
    /// (`application/timestamp-query`) in, a DER TimeStampResp (`application/timestamp-reply`) out — a refused
    /// request is a TimeStampResp too, with status rejection and the reason's failure bit.
    func timeStamp(_ req: Request) async throws -> Response {
        guard req.headers.contentType == HTTPMediaType(type: "application", subType: "timestamp-query"),
              let body = req.body.data, body.readableBytes > 0 else {
            throw EGovError.badRequest(LocalizedText(
                vi: "Vui lòng gửi yêu cầu cấp dấu thời gian (RFC 3161, Content-Type: application/timestamp-query).",
                en: "Please send an RFC 3161 time-stamp request (Content-Type: application/timestamp-query)."))
        }
        let reply = try await req.egov.signatures.timeStampReply(to: Array(body.readableBytesView), on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "timestamp-reply")
        return Response(status: .ok, headers: headers, body: .init(data: Data(reply)))
    }

    /// The time-stamping authority's certificate, PEM (404 when this installation has none).
    func tsaCertificate(_ req: Request) async throws -> Response {
        guard let pem = try await TimeStampAuthority.certificatePEM(on: req.db) else {
            throw EGovError.notFound(LocalizedText(vi: "Địa phương chưa có dịch vụ cấp dấu thời gian.",
                                                   en: "The locality has no time-stamping authority."))
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "x-pem-file")
        return Response(status: .ok, headers: headers, body: .init(string: pem.hasSuffix("\n") ? pem : pem + "\n"))
    }

    /// The outside CAs whose signatures are accepted here (public, like the locality's own chain).
    func trusted(_ req: Request) async throws -> TrustedDTO {
        TrustedDTO(items: try await TrustedAuthorities.all(on: req.db))
    }

    /// Trusts outside CA certificates (PEM body): `pki.manage` at a top-level unit, since trust is the whole
    /// installation's; audited.
    func trust(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard try await principal.holdsOverInstallation(.pkiManage, on: req.db) else { throw EGovError.forbidden }
        guard let body = req.body.string, !body.isEmpty else {
            throw EGovError.validation([ValidationError(field: "certificate", vi: "Vui lòng gửi chứng thư CA dạng PEM trong thân yêu cầu.",
                                                        en: "Please send the CA certificates as PEM in the body.")])
        }
        let now = req.egov.clock.now()
        let added = try await TrustedAuthorities.add(pem: body, by: principal.username, at: now, on: req.db)
        for entry in added {
            try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                                 action: "pki.trust", target: "certificate:\(entry.fingerprint)", summary: entry.subject),
                                      at: now, on: req.db)
        }
        return try await TrustedDTO(items: added).encodeResponse(status: .created, for: req)
    }

    /// Keeps an outside CA's CRL (DER or PEM body), checked against the trusted CA that signed it: `pki.manage`
    /// at a top-level unit, as trusting the CA is; audited.
    func trustCRL(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard try await principal.holdsOverInstallation(.pkiManage, on: req.db) else { throw EGovError.forbidden }
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw EGovError.validation([ValidationError(field: "crl", vi: "Vui lòng gửi CRL (DER hoặc PEM) trong thân yêu cầu.",
                                                        en: "Please send the CRL (DER or PEM) as the body.")])
        }
        let now = req.egov.clock.now()
        let added = try await OutsideRevocation.add(Array(body.readableBytesView), by: principal.username, at: now, on: req.db)
        try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                             action: "pki.trust-crl", target: "ca:\(added.issuer)", summary: "\(added.revoked) revoked"),
                                  at: now, on: req.db)
        return try await added.encodeResponse(status: .created, for: req)
    }

    func crl(_ req: Request) async throws -> Response {
        let pem = try await CertificateAuthority.crlPEM(on: req.db)
        return Response(status: .ok, headers: ["Content-Type": "application/x-pem-file"], body: .init(string: pem))
    }

    struct RevokeRequest: Content {
        let reason: String?
        let caPassphrase: String?
    }

    /// Revokes a certificate: someone who manages the holder's accounts (`users.manage` on one of their units),
    /// with the CA passphrase and a reason (RFC 5280's names).
    func revoke(_ req: Request) async throws -> CertificateDTO {
        let principal = try req.principal()
        let certificate = try await Self.certificate(req)
        let serial = certificate.serial
        // An officer's certificate by whoever manages one of their units' accounts; a seal's by whoever manages its unit's.
        let units: [UnitModel]
        if let unitID = certificate.unitID {
            units = try await UnitModel.query(on: req.db).filter(\.$id == unitID).all()
        } else {
            units = try await Self.units(of: certificate.userID ?? UUID(), on: req.db)
        }
        guard units.contains(where: { principal.can(.usersManage, on: $0) }) else { throw EGovError.forbidden }
        let body = try req.content.decode(RevokeRequest.self)
        guard let reason = RevocationList.Reason(rawValue: body.reason ?? "") else {
            let names = RevocationList.Reason.allCases.map(\.rawValue).joined(separator: ", ")
            throw EGovError.validation([ValidationError(field: "reason", vi: "“reason” phải là một trong: \(names).", en: "“reason” must be one of: \(names).")])
        }
        guard let passphrase = body.caPassphrase, !passphrase.isEmpty, passphrase.utf8.count <= 1024 else {
            throw CertificateAuthority.wrongPassphrase
        }
        let revoked = try await CertificateAuthority.revoke(serial: serial, reason: reason, caPassphrase: passphrase,
                                                            at: req.egov.clock.now(), on: req.db)
        try await AuditLog.record(AuditEntry(actorID: principal.id, actorName: principal.username, unitCode: principal.primaryUnitCode,
                                             action: "pki.revoke", target: "certificate:\(serial)", clientAddress: nil,
                                             summary: reason.rawValue), at: req.egov.clock.now(), on: req.db)
        return CertificateDTO(revoked)
    }

    /// The certificate the path's `{serial}` names (hexadecimal, at most 64 digits), or 404.
    static func certificate(_ req: Request) async throws -> SigningCertificateModel {
        let serial = (req.parameters.get("serial") ?? "").lowercased()
        guard serial.utf8.count <= 64, serial.allSatisfy(\.isHexDigit),
              let certificate = try await SigningCertificateModel.query(on: req.db).filter(\.$serial == serial).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có chứng thư số sê-ri “\(serial.prefix(64))”.",
                                                   en: "No certificate with serial “\(serial.prefix(64))”."))
        }
        return certificate
    }

    /// The units where the user holds a position.
    static func units(of userID: UUID, on db: any Database) async throws -> [UnitModel] {
        let unitIDs = try await UserPositionModel.query(on: db).filter(\.$user.$id == userID).all(\.$unit.$id)
        return try await UnitModel.query(on: db).filter(\.$id ~~ unitIDs).all()
    }

    func chain(_ req: Request) async throws -> Response {
        let pem = try await CertificateAuthority.chainPEM(on: req.db)
        return Response(status: .ok, headers: ["Content-Type": "application/x-pem-file"], body: .init(string: pem))
    }

    struct CertificateDTO: Content {
        let serial, subject: String
        let notBefore, notAfter: Date
        let status, pem: String

        init(_ model: SigningCertificateModel) {
            (serial, subject, notBefore, notAfter, status, pem) = (model.serial, model.subject, model.notBefore, model.notAfter,
                                                                  model.status, model.certificatePEM)
        }
    }

    struct CertificatesDTO: Content { let items: [CertificateDTO] }

    func certificates(_ req: Request) async throws -> CertificatesDTO {
        let username = req.query[String.self, at: "user"] ?? ""
        guard !username.isEmpty, username.utf8.count <= 200 else {
            throw EGovError.validation([ValidationError(field: "user", vi: "Vui lòng nêu tên đăng nhập “user”.", en: "Please give the username “user”.")])
        }
        let user = try await UserDirectory(req: req).user(named: username)
        let rows = try await SigningCertificateModel.query(on: req.db).filter(\.$userID == user.requireID())
            .sort(\.$createdAt, .descending).all()
        return CertificatesDTO(items: rows.map(CertificateDTO.init))
    }
}
