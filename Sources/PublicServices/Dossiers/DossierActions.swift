import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// What the API and the pages do with one dossier: find it, check who asks, list and take actions.
struct DossierActions: Sendable {
    let services: PlatformServices
    let db: any Database

    static func notFound(_ code: String) -> EGovError {
        .notFound(LocalizedText(vi: "Không tìm thấy hồ sơ mã “\(code)”.", en: "No dossier with code “\(code)”."))
    }

    func find(_ code: String) async throws -> DossierModel {
        guard let dossier = try await DossierModel.query(on: db).filter(\.$code == code).first() else { throw Self.notFound(code) }
        return dossier
    }

    /// The dossier, if the caller is its applicant or an officer in scope; 403 for other officers.
    func readable(_ code: String, by principal: Principal) async throws -> DossierModel {
        let dossier = try await find(code)
        guard DossierAccess.canRead(principal, dossier) else {
            // An applicant never learns whether somebody else's code exists.
            if principal.kind == .applicant { throw Self.notFound(code) }
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Hồ sơ này không thuộc đơn vị của bạn.", en: "This dossier is not in your units."))
        }
        return dossier
    }

    struct Context {
        let definition: ProcessDefinition
        let procedure: Procedure
        let calendar: WorkingDayCalendar
    }

    func context(of dossier: DossierModel) async throws -> Context {
        guard let definition = try await CatalogueStore.process(dossier.processID, on: db),
              let procedure = try await CatalogueStore.procedure(code: dossier.procedureCode, on: db) else {
            throw EGovError.conflict(ValidationError(field: "procedure", vi: "Thủ tục hoặc quy trình của hồ sơ không còn trong danh mục.",
                                                     en: "The dossier's procedure or process is no longer in the catalogue."))
        }
        return Context(definition: definition, procedure: procedure,
                       calendar: try await services.calendars.calendar(on: db, now: services.clock.now()))
    }

    func actions(on dossier: DossierModel, for principal: Principal) async throws -> [ProcessDefinition.Action] {
        guard let definition = try await CatalogueStore.process(dossier.processID, on: db) else { return [] }
        return ProcessEngine.actions(for: DossierAccess.actor(principal, for: dossier), in: definition, state: try dossier.caseState())
    }

    /// The unit a dossier is sent to for its opinion: another unit than the one deciding it.
    func consultedUnit(_ code: String?, for dossier: DossierModel) async throws -> UnitModel {
        let code = (code ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, let unit = try await UnitModel.query(on: db).filter(\.$code == code).first() else {
            throw EGovError.validation([ValidationError(field: "unit", vi: code.isEmpty ? "Vui lòng chọn đơn vị được xin ý kiến." : "Không có đơn vị mã “\(code)”.",
                                                        en: code.isEmpty ? "Please choose the unit to consult." : "No unit with code “\(code)”.")])
        }
        guard unit.code != dossier.competentUnitCode, unit.unitType != .counter else {
            throw EGovError.validation([ValidationError(field: "unit", vi: "Đơn vị được xin ý kiến phải là một cơ quan khác cơ quan giải quyết.",
                                                        en: "The consulted unit must be another unit than the deciding one.")])
        }
        return unit
    }

    /// Takes one action: checks (403/409/400) before anything is stored, then one transaction.
    struct Request: Sendable {
        var note: String?
        var assignee: String?
        /// The unit asked for its opinion, when the action sends the dossier to one (`consult`).
        var unit: String? = nil
        var attachments: [IncomingFile]
        /// For an action that signs its result (`sign:` in the process): the officer's PIN and the seal's.
        var pins = ResultSigning.PINs(officer: nil, seal: nil)
    }

    func take(_ actionID: String, on code: String, by principal: Principal, clientAddress: String?, input: Request) async throws -> DossierModel {
        // The same rule as reading: an applicant gets 404 for someone else's dossier, never a 403 that
        // tells them the code exists.
        let dossier = try await readable(code, by: principal)
        let context = try await context(of: dossier)
        let runtime = DossierRuntime(services: services, calendar: context.calendar)
        let action = try runtime.check(actionID, by: principal, note: input.note, on: dossier, definition: context.definition)
        let target = ProcessEngine.target(of: action, from: try dossier.caseState())
        if context.definition.step(target)?.holder?.unit == .consulted, action.to != ProcessDefinition.Action.previousStep {
            let consulted = try await consultedUnit(input.unit, for: dossier)
            dossier.consultedUnitCode = consulted.code
            dossier.consultedUnitPath = consulted.path
        }
        let assignee = try await runtime.checkAssignee(input.assignee, for: action, record: dossier, definition: context.definition, on: db)
        let signing = try await ResultSigning.prepare(action, by: principal, sealUnitCode: dossier.competentUnitCode, pins: input.pins,
                                                      services: services, on: db)
        if signing != nil {
            let problems = ResultSigning.problems(names: input.attachments.map(\.fileName))
            guard problems.isEmpty else { throw EGovError.validation(problems) }
        }
        let owner = DossierAccess.isApplicant(principal, of: dossier) ? principal.userID : nil
        let prepared = try await DossierFiles.prepare(input.attachments, procedure: context.procedure, owner: owner,
                                                      services: services, on: db)
        let uploads: [StoredUpload]
        if let signing {
            uploads = try await sign(prepared, with: signing, action: action, dossier: dossier)
        } else {
            uploads = prepared
        }
        let now = runtime.now
        _ = try await uploads.discardingOnFailure(services.files, on: db) {
            try await runtime.take(action, on: dossier, definition: context.definition, terms: context.procedure.terms,
                                   by: ActingParty(principal: principal, clientAddress: clientAddress), note: input.note,
                                   assignee: assignee, files: uploads.map(\.name), attach: { seq, tx in
                                       try await DossierFiles.attach(uploads, for: action, to: dossier, seq: seq, at: now, on: tx)
                                   }, on: db)
        }
        return dossier
    }

    /// The result files signed as the action requires: the signed bytes replace the unsigned ones, which are
    /// never recorded (and removed from the file store when this request brought them).
    private func sign(_ uploads: [StoredUpload], with signing: ResultSigning, action: ProcessDefinition.Action,
                      dossier: DossierModel) async throws -> [StoredUpload] {
        var signed: [StoredUpload] = []
        do {
            for upload in uploads {
                let result = try await signing.sign(Array(try services.files.read(sha256: upload.sha256)), actionName: action.name,
                                                    caseCode: dossier.code, caseTarget: "dossier:\(dossier.code)", on: db)
                let (sha256, created) = try services.files.write(Data(result.bytes))
                signed.append(StoredUpload(componentID: upload.componentID, name: upload.name, contentType: "application/pdf",
                                           size: result.bytes.count, sha256: sha256, created: created,
                                           verificationCode: result.verificationCode))
            }
        } catch {
            await services.files.discard((uploads + signed).filter(\.created).map(\.sha256), on: db)
            throw error
        }
        await services.files.discard(uploads.filter(\.created).map(\.sha256), on: db)
        return signed
    }
}
