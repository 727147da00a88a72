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
        pki.grouped(RequirePrincipal()).get("certificates", use: certificates)
    }

    func chain(_ req: Request) async throws -> Response {
        let pem = try await CertificateAuthority.chainPEM(on: req.db)
        return Response(status: .ok, headers: ["Content-Type": "application/x-pem-file"], body: .init(string: pem))
    }

    struct CertificateDTO: Content {
        let serial, subject: String
        let notBefore, notAfter: Date
        let status, pem: String
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
        return CertificatesDTO(items: rows.map {
            CertificateDTO(serial: $0.serial, subject: $0.subject, notBefore: $0.notBefore, notAfter: $0.notAfter,
                           status: $0.status, pem: $0.certificatePEM)
        })
    }
}
