import EGovCore
import Fluent
import Foundation

/// The signatures a case action puts on the result files it brings (issue 13 §7), as its process says
/// (`sign: [officer, seal]`): the acting officer's own signature, then the seal of the case's competent unit,
/// on every result PDF. A module's case actions call it before their transaction, so the signed file is the one
/// recorded and the unsigned one is never kept; each signature is in the audit log with the case it is for.
public struct ResultSigning: Sendable {
    /// The PINs an action that signs asks for: the officer's own, and the seal's.
    public struct PINs: Sendable {
        public var officer: String?
        public var seal: String?

        public init(officer: String?, seal: String?) {
            (self.officer, self.seal) = (officer, seal)
        }
    }

    let steps: [(signature: ProcessDefinition.Action.Signature, key: SignatureService.KeySource)]
    let actor: SignatureService.Actor
    let seal: UnitModel?
    let signatures: SignatureService
    /// The installation's public address, for the verification code's link.
    let publicURL: String?

    /// Field names of the PINs, in the API's JSON and the pages' forms.
    public static let officerPINField = "signingPin", sealPINField = "sealPin"

    /// What `action` will sign, checked before any file is stored or any PIN tried: each PIN it needs is given
    /// (at most 64 bytes), and `principal` may use the seal of the unit `sealUnitCode`. Nil when it signs nothing.
    public static func prepare(_ action: ProcessDefinition.Action, by principal: Principal, sealUnitCode: String, pins: PINs,
                               services: PlatformServices, on db: any Database) async throws -> ResultSigning? {
        guard !action.sign.isEmpty else { return nil }
        var errors: [ValidationError] = []
        var steps: [(ProcessDefinition.Action.Signature, SignatureService.KeySource)] = []
        for signature in action.sign {
            switch signature {
            case .officer:
                if let pin = SigningKeys.checkedPIN(pins.officer) { steps.append((signature, .pin(pin))) } else {
                    errors.append(ValidationError(field: officerPINField, vi: "Thao tác này ký số kết quả: vui lòng nhập mã PIN ký số của bạn.",
                                                  en: "This action signs the result: please give your signing PIN."))
                }
            case .seal:
                if let pin = SigningKeys.checkedPIN(pins.seal) { steps.append((signature, .pin(pin))) } else {
                    errors.append(ValidationError(field: sealPINField, vi: "Thao tác này đóng dấu số của đơn vị: vui lòng nhập mã PIN con dấu số.",
                                                  en: "This action applies the unit's seal: please give the seal's PIN."))
                }
            }
        }
        guard errors.isEmpty else { throw EGovError.validation(errors) }
        var seal: UnitModel?
        if action.sign.contains(.seal) {
            guard let unit = try await UnitModel.query(on: db).filter(\.$code == sealUnitCode).first() else {
                throw EGovError.notFound(LocalizedText(vi: "Không có đơn vị mã “\(sealUnitCode)”.", en: "No unit with code “\(sealUnitCode)”."))
            }
            guard principal.can(.signaturesSeal, on: unit) else {
                throw EGovError.forbiddenBecause(LocalizedText(
                    vi: "Thao tác này đóng dấu số của \(unit.name), nhưng bạn không được dùng con dấu số của đơn vị này.",
                    en: "This action applies the seal of \(unit.name), which you may not use."))
            }
            seal = unit
        }
        return ResultSigning(steps: steps, actor: SignatureService.Actor(principal), seal: seal, signatures: services.signatures,
                             publicURL: services.configuration.publicURL)
    }

    /// The names of result files that cannot be signed (only PDFs can), or that are missing: an action that signs
    /// brings at least one result.
    public static func problems(names: [String]) -> [ValidationError] {
        guard !names.isEmpty else {
            return [ValidationError(field: "attachments", vi: "Thao tác này ký số kết quả: vui lòng đính kèm tệp kết quả (PDF).",
                                    en: "This action signs the result: please attach the result file (PDF).")]
        }
        return names.enumerated().compactMap { index, name in
            name.lowercased().hasSuffix(".pdf") ? nil : ValidationError(
                field: "attachments[\(index)]", vi: "Kết quả “\(name)” không phải tệp PDF nên không ký số được.",
                en: "The result “\(name)” is not a PDF and cannot be signed.")
        }
    }

    /// The same signatures with every key opened now, each PIN tried once (a wrong one counted towards the key's
    /// lock and refused here): for an action that signs inside its own transaction, where a wrong PIN's count
    /// would roll back with it. The opened keys stay in this value's memory only.
    public func unlocked(on db: any Database) async throws -> ResultSigning {
        var opened: [(ProcessDefinition.Action.Signature, SignatureService.KeySource)] = []
        for (signature, source) in steps {
            guard case .pin(let pin) = source else { opened.append((signature, source)); continue }
            opened.append((signature, .unlocked(try await signatures.unlock(as: actor, seal: signature == .seal ? seal : nil, pin: pin, on: db))))
        }
        return ResultSigning(steps: opened, actor: actor, seal: seal, signatures: signatures, publicURL: publicURL)
    }

    /// `xml` (an edXML message) under the seal this action applies, or as it came when the action applies none.
    public func sealXML(_ xml: [UInt8], on db: any Database) async throws -> [UInt8] {
        guard let seal, let key = steps.first(where: { $0.signature == .seal })?.key else { return xml }
        return try await signatures.signXML(xml, as: actor, seal: seal, key: key, on: db).bytes
    }

    /// A signed result and its verification code (to record with the file, `VerificationCodes.record`).
    public struct Signed: Sendable {
        public let bytes: [UInt8]
        public let verificationCode: String
    }

    /// `pdf` signed in order (the officer, then the seal) by the action `actionName` on the case `caseCode`, whose
    /// audit target is `caseTarget` (e.g. `dossier:CODE`). Each signature's reason names the action, the case and a
    /// new verification code with the address of the public check page.
    /// An issued document's `notation` is printed first on the seal's stamp.
    public func sign(_ pdf: [UInt8], actionName: String, caseCode: String, caseTarget: String, notation: String? = nil,
                     on db: any Database) async throws -> Signed {
        let code = VerificationCodes.make()
        let link = VerificationCodes.link(code, publicURL: publicURL)
        let reason = "\(actionName) – \(caseCode). Mã kiểm tra \(code): \(link)"
        var bytes = pdf
        for (signature, key) in steps {
            // Each signature shows its stamp on the result's last page, with the code and the QR code of the check page.
            let request = SignatureService.PDFRequest(reason: reason, location: seal?.name, visible: true, verification: (code, link),
                                                      notation: signature == .seal ? notation : nil)
            bytes = try await signatures.signPDF(bytes, as: actor, seal: signature == .seal ? seal : nil, key: key, request: request,
                                                 for: caseTarget, on: db).bytes
        }
        return Signed(bytes: bytes, verificationCode: code)
    }
}
