import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// `POST /api/v1/dossiers`: what an applicant (online) or a one-stop officer (at the counter) sends.
struct SubmissionInput: Content, Sendable {
    struct Applicant: Content, Sendable {
        var fullName: String?
        var idNumber: String?
        var phone: String?
        var email: String?
        var address: String?
        /// Counter only: the officer compared the applicant with their citizen identity card. An online
        /// account registered under this number is then marked verified and sees the dossier; without
        /// it, only an account verified earlier does (issue 11: anyone can register any number).
        var identityChecked: Bool?
    }

    var procedureCode: String?
    /// The unit that decides the dossier (one of the procedure's units).
    var unitCode: String?
    /// Where an inter-level dossier is handed in and its result collected (a commune); a counter
    /// officer may also name which of their units receives it.
    var receivingUnitCode: String?
    /// counter, post or online.
    var resultDelivery: String?
    var applicant: Applicant?
    var form: JSONValue?
    var attachments: [AttachmentInput]?
}

/// A submission however it arrived (JSON API or the web form).
struct Submission: Sendable {
    var procedureCode: String?
    var unitCode: String?
    var receivingUnitCode: String?
    var resultDelivery: String?
    var applicant: SubmissionInput.Applicant?
    var form: JSONValue?
    var attachments: [IncomingFile]

    init(_ input: SubmissionInput) {
        procedureCode = input.procedureCode
        unitCode = input.unitCode
        receivingUnitCode = input.receivingUnitCode
        resultDelivery = input.resultDelivery
        applicant = input.applicant
        form = input.form
        attachments = (input.attachments ?? []).map(\.incoming)
    }

    init(procedureCode: String?, unitCode: String?, receivingUnitCode: String?, resultDelivery: String?,
         applicant: SubmissionInput.Applicant?, form: JSONValue?, attachments: [IncomingFile]) {
        self.procedureCode = procedureCode
        self.unitCode = unitCode
        self.receivingUnitCode = receivingUnitCode
        self.resultDelivery = resultDelivery
        self.applicant = applicant
        self.form = form
        self.attachments = attachments
    }
}

/// Submission and reception: every check first (nothing is written for a refused dossier), then the
/// dossier, its code, files, history and notifications in one transaction.
struct DossierSubmission: Sendable {
    let services: PlatformServices

    /// What a submission wrote, so the answer needs no second read (issue 15).
    struct Submitted: Sendable {
        let dossier: DossierModel
        let definition: ProcessDefinition
        let written: DossierDTO.Written
    }

    static let maxFormBytes = 64 * 1024

    func submit(_ input: Submission, by principal: Principal, clientAddress: String?, on db: any Database) async throws -> Submitted {
        let channel: DossierModel.Channel = principal.kind == .applicant ? .online : .counter
        var errors: [ValidationError] = []

        // The procedure, the deciding unit and its process.
        let procedureCode = (input.procedureCode ?? "").trimmingCharacters(in: .whitespaces)
        guard !procedureCode.isEmpty, let entry = try await CatalogueStore.submissionEntry(code: procedureCode, on: db) else {
            throw EGovError.validation([ValidationError(field: "procedureCode",
                                                        vi: procedureCode.isEmpty ? "Vui lòng chọn thủ tục hành chính."
                                                            : "Không có thủ tục hành chính mã “\(procedureCode)”.",
                                                        en: procedureCode.isEmpty ? "Please choose a procedure." : "No procedure with code “\(procedureCode)”.")])
        }
        let procedure = entry.procedure
        let unitCodes = entry.unitCodes
        let unitCode = (input.unitCode ?? (unitCodes.count == 1 ? unitCodes[0] : "")).trimmingCharacters(in: .whitespaces)
        // The unit, its process and (online) the applicant's account in one read.
        guard unitCodes.contains(unitCode),
              let parties = try await CatalogueStore.submissionParties(unitCode: unitCode, processID: procedure.processID(in: unitCode),
                                                                       accountID: channel == .online ? principal.id : nil, on: db) else {
            throw EGovError.validation([ValidationError(field: "unitCode",
                                                        vi: "Đơn vị “\(unitCode)” không giải quyết thủ tục “\(procedure.name)”.",
                                                        en: "Unit “\(unitCode)” does not decide the procedure “\(procedure.name)”.")])
        }
        let competent = parties.unit
        if channel == .online, procedure.onlineLevel == .none {
            throw EGovError.validation([ValidationError(field: "procedureCode",
                                                        vi: "Thủ tục “\(procedure.name)” chưa được nộp trực tuyến; vui lòng nộp tại Bộ phận Một cửa.",
                                                        en: "“\(procedure.name)” cannot be submitted online; please apply at a one-stop counter.")])
        }
        guard let definition = parties.process, definition.initialStep != nil else {
            throw EGovError.validation([ValidationError(field: "procedureCode", vi: "Thủ tục chưa được cấu hình quy trình giải quyết.",
                                                        en: "The procedure has no process configured.")])
        }
        let receiving = try await receivingUnit(channel: channel, input: input, principal: principal, definition: definition,
                                                competent: competent, on: db)

        // The applicant: from the account ("only once"), or as the officer enters it.
        let applicant = try await applicantDetails(input.applicant, principal: principal, account: parties.account, channel: channel,
                                                   errors: &errors, on: db)

        // How the result goes back.
        var delivery: DossierModel.Delivery = channel == .online ? .online : .counter
        if let raw = input.resultDelivery, !raw.isEmpty {
            if let chosen = DossierModel.Delivery(rawValue: raw) { delivery = chosen } else {
                errors.append(ValidationError(field: "resultDelivery", vi: "“resultDelivery” phải là counter, post hoặc online.",
                                              en: "“resultDelivery” must be counter, post or online."))
            }
        }
        if delivery == .post, applicant.address == nil {
            errors.append(ValidationError(field: "applicant.address", vi: "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.",
                                          en: "Please give the address the result is posted to."))
        }

        let resultDelivery = delivery

        // The form and the components.
        var formJSON = "{}"
        if let form = input.form {
            guard case .object = form else {
                throw EGovError.validation([ValidationError(field: "form", vi: "“form” phải là một đối tượng JSON.", en: "“form” must be a JSON object.")])
            }
            formJSON = try CanonicalJSON.string(form)
            if formJSON.utf8.count > Self.maxFormBytes {
                errors.append(ValidationError(field: "form", vi: "Dữ liệu tờ khai quá lớn (tối đa 64 KB).", en: "The form data is too large (64 KB at most)."))
            }
        }
        let attachments = input.attachments
        let provided = Set(attachments.compactMap(\.componentID))
        let formFilled = formJSON != "{}"
        let missing = procedure.components.filter { $0.required && !provided.contains($0.id) && !($0.isForm && formFilled) }
        for component in missing {
            errors.append(ValidationError(field: "attachments", vi: "Thiếu thành phần hồ sơ bắt buộc: “\(component.name)”.",
                                          en: "A required dossier component is missing: “\(component.name)”."))
        }
        guard errors.isEmpty else { throw EGovError.validation(errors) }
        let formData = formJSON
        let uploads = try await DossierFiles.prepare(attachments, procedure: procedure,
                                                     owner: channel == .online ? principal.userID : nil, services: services, on: db)

        // Everything checked: write it all, or nothing.
        let calendar = try await services.calendars.calendar(on: db, now: services.clock.now())
        let runtime = DossierRuntime(services: services, calendar: calendar)
        let now = runtime.now
        let settings = entry.settings
        let party = ActingParty(principal: principal, clientAddress: clientAddress)
        return try await uploads.discardingOnFailure(services.files, on: db) { try await db.transaction { tx in
            // The dossier is written under a provisional code and numbered after its first event and files: every
            // submission to the unit on the day takes the same counter row, held from then to the commit (issue 15).
            let dossier = DossierModel()
            let id = UUID()
            dossier.id = id
            dossier.code = Self.provisionalCode(id)
            dossier.procedureCode = procedure.code
            dossier.procedureName = procedure.name
            dossier.processID = definition.id
            dossier.receivingUnitCode = receiving.code
            dossier.receivingUnitPath = receiving.path
            dossier.competentUnitCode = competent.code
            dossier.competentUnitPath = competent.path
            dossier.channel = channel.rawValue
            dossier.resultDelivery = resultDelivery.rawValue
            dossier.interLevel = Self.isInterLevel(receiving: receiving, competent: competent)
            dossier.applicantID = applicant.accountID
            if applicant.verifyAccount, let accountID = applicant.accountID {
                try await UserModel.query(on: tx).filter(\.$id == accountID).filter(\.$identityVerifiedAt == nil)
                    .set(\.$identityVerifiedAt, to: now).update()
            }
            dossier.applicantName = applicant.fullName
            dossier.applicantIDHash = applicant.idNumber.map(services.personalData.lookupHash)
            dossier.applicantIDSealed = try applicant.idNumber.map(services.personalData.seal)
            dossier.applicantPhoneSealed = try applicant.phone.map(services.personalData.seal)
            dossier.applicantEmail = applicant.email
            dossier.applicantAddress = applicant.address
            dossier.form = formData
            dossier.submittedAt = now
            dossier.feeAmount = procedure.totalFee
            dossier.feePaid = procedure.totalFee == 0
            dossier.supplementRequests = 0
            dossier.lateNotified = false
            let opened = try await runtime.start(dossier, in: definition, actionID: DossierAction.submit,
                                                 actionName: channel == .online ? "Nộp hồ sơ trực tuyến" : "Nhận hồ sơ tại Bộ phận Một cửa",
                                                 by: party, files: uploads.map(\.name), on: tx)
            // The files' rows, the code, the audit event and the applicant's stored copies go in one statement on
            // PostgreSQL (`WriteBatch`), sent after the counter is taken: one round trip while the row is held.
            var batch = WriteBatch()
            var recorded: [DossierFiles.Recorded] = []
            for upload in uploads {
                recorded.append(try await DossierFiles.record(upload, kind: .attachment, to: dossier, seq: 1, at: now, adding: &batch, on: tx))
            }
            try await Self.number(dossier, settings: settings, unitCode: receiving.code, date: calendar.civilDate(of: now),
                                  adding: &batch, on: tx)
            try runtime.auditOpening(dossier, actionID: DossierAction.submit, by: party, unitCode: receiving.code,
                                     summary: "\(channel.rawValue) \(procedure.code)", in: &batch)
            var kept = Set<String>()
            for file in recorded {
                // The same content twice: a statement may touch the applicant's stored copy once, so the second goes apart.
                if !kept.insert(file.upload.sha256).inserted {
                    try await batch.run(on: tx)
                    batch = WriteBatch()
                }
                try await DossierFiles.keep(file, of: dossier, at: now, adding: &batch, on: tx)
            }
            try await batch.run(on: tx)
            let files = recorded.map(\.model)
            var events = [opened]
            events += try await runtime.runAutomaticActions(on: dossier, definition: definition, terms: procedure.terms, on: tx)
            // At the counter the officer receives the dossier there and then (when nothing, e.g. a fee, is pending).
            if channel == .counter {
                let actor = DossierAccess.actor(principal, for: dossier)
                if let receive = ProcessEngine.actions(for: actor, in: definition, state: try dossier.caseState())
                    .first(where: { $0.actionID == DossierAction.receive }) {
                    events.append(try await runtime.apply(receive, to: dossier, definition: definition, terms: procedure.terms, by: party,
                                                          note: nil, assignee: nil, on: tx))
                }
            }
            return Submitted(dossier: dossier, definition: definition, written: DossierDTO.Written(files: files, events: events))
        } }
    }

    /// A dossier's code until `number` gives it its own, within the submission's transaction: unique, and never seen
    /// outside it.
    static func provisionalCode(_ id: UUID) -> String { "~" + id.uuidString }

    /// Gives a dossier written under its provisional code the next code of its receiving unit and day: the counter is
    /// taken at once, the code's update is added to `batch`.
    static func number(_ dossier: DossierModel, settings: OneStopSettings, unitCode: String, date: CivilDate,
                       adding batch: inout WriteBatch, on tx: any Database) async throws {
        let scope = settings.dossierCode.counterScope(kind: "dossier", unit: unitCode, date: date)
        let number = try await Counters.next(scope, on: tx)
        dossier.code = settings.dossierCode.format(unit: unitCode, date: date, sequence: number)
        try ModelWrite.update(dossier, in: &batch)
    }

    /// Commune to province (or the reverse) is inter-level; a department's dossier received at the
    /// province's Service Centre is not.
    static func isInterLevel(receiving: UnitModel, competent: UnitModel) -> Bool {
        func isCommune(_ unit: UnitModel) -> Bool { unit.unitType == .commune }
        return isCommune(receiving) != isCommune(competent)
    }

    private func receivingUnit(channel: DossierModel.Channel, input: Submission, principal: Principal, definition: ProcessDefinition,
                               competent: UnitModel, on db: any Database) async throws -> UnitModel {
        switch channel {
        case .counter:
            // Any counter of the province takes any dossier (Decree 118/2025); its unit receives it.
            let scopes = CasePolicy.grants(principal, with: OneStopPermission.dossiersReceive)
            guard !scopes.isEmpty else {
                throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ cán bộ Bộ phận Một cửa được nhận hồ sơ tại quầy.",
                                                               en: "Only one-stop officers receive dossiers at a counter."))
            }
            let requested = input.receivingUnitCode.flatMap { code in scopes.first { $0.unitCode == code } } ?? scopes[0]
            guard let counter = try await UnitModel.find(requested.unitID, on: db) else { throw EGovError.forbidden }
            return try await Self.receptionUnit(containing: counter, on: db)
        case .online:
            switch ReceptionRule(definition) {
            case .competent:
                return competent
            case .unit(let code):
                guard let unit = try await UnitModel.query(on: db).filter(\.$code == code).first() else { return competent }
                return unit
            case .applicantChoosesCommune:
                let code = input.receivingUnitCode ?? ""
                guard let unit = try await UnitModel.query(on: db).filter(\.$code == code).first(), unit.unitType == .commune else {
                    throw EGovError.validation([ValidationError(
                        field: "receivingUnitCode",
                        vi: "Vui lòng chọn UBND cấp xã nơi nộp hồ sơ và nhận kết quả (receivingUnitCode).",
                        en: "Please choose the commune where the dossier is handed in and the result collected (receivingUnitCode).")])
                }
                return unit
            }
        }
    }

    /// A counter belongs to its commune or Service Centre: that unit is the receiving unit.
    static func receptionUnit(containing unit: UnitModel, on db: any Database) async throws -> UnitModel {
        var current = unit
        while current.unitType == .counter, let parent = try await current.$parent.get(on: db) { current = parent }
        return current
    }

    struct ApplicantDetails {
        var accountID: UUID?
        /// Mark `accountID` verified in the submission's transaction (the officer checked the ID card).
        var verifyAccount = false
        var fullName: String
        var idNumber: String?
        var phone: String?
        var email: String?
        var address: String?
    }

    /// `account`: the online applicant's own (read with the unit, `CatalogueStore.submissionParties`).
    private func applicantDetails(_ input: SubmissionInput.Applicant?, principal: Principal, account: CatalogueStore.AccountContact?,
                                  channel: DossierModel.Channel, errors: inout [ValidationError],
                                  on db: any Database) async throws -> ApplicantDetails {
        func clean(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value.precomposedStringWithCanonicalMapping
        }
        var details = ApplicantDetails(fullName: clean(input?.fullName) ?? "", idNumber: clean(input?.idNumber), phone: clean(input?.phone),
                                       email: clean(input?.email), address: clean(input?.address))
        if channel == .online, let account {
            details.accountID = principal.id
            if details.fullName.isEmpty { details.fullName = account.fullName }
            // Online, the applicant is the account holder: their own number, never someone else's.
            let own = try account.idNumberSealed.map(services.personalData.open)
            if let given = details.idNumber, given.filter({ !$0.isWhitespace }) != own {
                errors.append(ValidationError(field: "applicant.idNumber",
                                              vi: "Khi nộp trực tuyến, số định danh phải là của chính chủ tài khoản. Hồ sơ của người khác được nộp tại Bộ phận Một cửa hoặc qua tài khoản của người đó.",
                                              en: "Online, the identification number must be the account holder's own. Someone else's dossier is filed at a counter or from their own account."))
            }
            details.idNumber = own
            if details.phone == nil { details.phone = account.phone }
            if details.email == nil { details.email = account.email }
        }
        if details.fullName.count < 2 {
            errors.append(ValidationError(field: "applicant.fullName", vi: "Vui lòng nhập họ và tên người nộp hồ sơ.",
                                          en: "Please enter the applicant's full name."))
        }
        let year = WorkingDayCalendar().civilDate(of: services.clock.now()).year
        if let raw = details.idNumber {
            do { details.idNumber = try PersonalIdNumber(raw, currentYear: year).value } catch {
                errors.append(ValidationError(field: "applicant.idNumber", message: error.message))
            }
        } else if channel == .counter {
            errors.append(ValidationError(field: "applicant.idNumber", vi: "Vui lòng nhập số định danh cá nhân của người nộp.",
                                          en: "Please enter the applicant's personal identification number."))
        }
        if let raw = details.phone {
            do { details.phone = try ContactDetails.normalizedPhone(raw) } catch {
                errors.append(ValidationError(field: "applicant.phone", message: error.message))
            }
        }
        if let raw = details.email {
            do { details.email = try ContactDetails.normalizedEmail(raw) } catch {
                errors.append(ValidationError(field: "applicant.email", message: error.message))
            }
        }
        // A dossier entered at the counter shows on the page of an account with the same number only
        // when that account's identity was verified at a counter (now, or earlier).
        if channel == .counter, let id = details.idNumber, errors.isEmpty,
           let account = try await UserModel.query(on: db).filter(\.$idNumberHash == services.personalData.lookupHash(id)).first() {
            if account.identityVerifiedAt != nil {
                details.accountID = account.id
            } else if input?.identityChecked == true {
                details.accountID = account.id
                details.verifyAccount = true
            }
        }
        return details
    }
}
