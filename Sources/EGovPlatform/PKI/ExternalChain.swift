import EGovCore
import Fluent
import Foundation
import SwiftASN1
import X509

/// Making the locality's issuing CA subordinate to an outside CA (issue 13 §1), such as the Government's
/// specialised CA: the platform writes a certificate signing request for the issuing CA's own key, the outside
/// CA signs it, and its certificate comes back here with that CA's root. The issuing CA keeps its key and its
/// name, so the certificates, CRL and time-stamps it has already signed chain to the outside root as well.
extension CertificateAuthority {
    /// The issuing CA's certificate signing request (PKCS #10), PEM, signed with its key. Needs the CA passphrase.
    public static func signingRequest(caPassphrase: String, on db: any Database) async throws -> String {
        let issuer = try await issuer(caPassphrase: caPassphrase, on: db)
        let request = try CertificateSigningRequest(version: .v1, subject: issuer.certificate.subject, privateKey: issuer.key,
                                                    attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .sha256WithRSAEncryption)
        return try request.serializeAsPEM().pemString
    }

    /// Takes the outside CA's answer, PEM: the issuing CA's new certificate (for its key, under its name, a CA),
    /// then the root that signed it (self-signed). Both are checked before anything changes; the root replaces
    /// the platform's own as the chain's anchor (`GET /api/v1/pki/ca.pem`). Needs the CA passphrase.
    public static func importChain(pem: String, caPassphrase: String, at now: Date, on db: any Database) async throws {
        let issuer = try await issuer(caPassphrase: caPassphrase, on: db)
        func refused(_ vi: String, _ en: String) -> EGovError { .validation([ValidationError(field: "chain", vi: vi, en: en)]) }
        guard let documents = try? PEMDocument.parseMultiple(pemString: pem), !documents.isEmpty,
              let certificates = try? documents.map({ try Certificate(pemDocument: $0) }) else {
            throw refused("Tệp không phải các chứng thư X.509 dạng PEM.", "The file is not X.509 certificates in PEM.")
        }
        guard certificates.count == 2 else {
            throw refused("Cần đúng hai chứng thư: chứng thư mới của CA cấp chứng thư ký số, rồi CA gốc đã ký nó (CA trung gian chưa được hỗ trợ).",
                          "Exactly two certificates are needed: the issuing CA's new certificate, then the root that signed it (intermediate CAs are not supported yet).")
        }
        let (issuing, root) = (certificates[0], certificates[1])
        guard issuing.publicKey == issuer.certificate.publicKey else {
            throw refused("Chứng thư thứ nhất không cấp cho khóa của CA cấp chứng thư ký số của địa phương (hãy gửi yêu cầu “egov pki csr”).",
                          "The first certificate is not for the locality issuing CA's key (send the request from “egov pki csr”).")
        }
        guard issuing.subject == issuer.certificate.subject else {
            throw refused("Chứng thư mới đổi tên CA (\(issuing.subject)); các chứng thư đã cấp mang tên cũ (\(issuer.certificate.subject)) sẽ không còn hợp lệ.",
                          "The new certificate renames the CA (\(issuing.subject)); the certificates already issued name it \(issuer.certificate.subject).")
        }
        guard TrustedAuthorities.isAuthority(issuing), TrustedAuthorities.isAuthority(root) else {
            throw refused("Cả hai chứng thư phải là của tổ chức chứng thực (CA:TRUE).", "Both certificates must be CA certificates (CA:TRUE).")
        }
        guard root.issuer == root.subject, root.publicKey.isValidSignature(root.signature, for: root) else {
            throw refused("Chứng thư thứ hai không phải CA gốc tự ký.", "The second certificate is not a self-signed root.")
        }
        guard issuing.issuer == root.subject, root.publicKey.isValidSignature(issuing.signature, for: issuing) else {
            throw refused("CA gốc gửi kèm không ký chứng thư thứ nhất.", "The root sent does not sign the first certificate.")
        }
        guard [issuing, root].allSatisfy({ $0.notValidBefore <= now && now <= $0.notValidAfter }) else {
            throw refused("Một chứng thư đã hết hạn hoặc chưa có hiệu lực.", "A certificate has expired or is not yet valid.")
        }
        try await db.transaction { tx in
            let authorities = try await AuthorityModel.query(on: tx).all()
            guard let issuingModel = authorities.first(where: { $0.kind == AuthorityModel.Kind.issuing.rawValue }),
                  let rootModel = authorities.first(where: { $0.kind == AuthorityModel.Kind.root.rawValue }) else { throw noAuthority }
            issuingModel.certificatePEM = try issuing.serializeAsPEM().pemString
            rootModel.certificatePEM = try root.serializeAsPEM().pemString
            rootModel.sealedKey = "" // the outside root's key is not the platform's; the platform's own root is retired
            try await issuingModel.save(on: tx)
            try await rootModel.save(on: tx)
        }
    }
}
