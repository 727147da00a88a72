@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The application form: online for citizens and businesses (their details pre-filled, earlier papers
/// offered for reuse), or at the counter for a one-stop officer entering a dossier for someone.
struct SubmissionPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let route = OneStopRoute.submit(procedure: "").pattern
        routes.get(route, use: form)
        // Attachments are streamed to disk as they arrive (UploadSpool), never buffered whole.
        routes.on(.POST, route, body: .stream, use: submit).streamsForm()
    }

    /// What the form posts (multipart): one file input and one reuse choice per component.
    struct Form: Content {
        var unitCode: String?
        var receivingUnitCode: String?
        var fullName: String?
        var idNumber: String?
        var phone: String?
        var email: String?
        var address: String?
        var identityChecked: String?
        var resultDelivery: String?
        var noiDung: String?
        var reuse: [String: String]?

        init() {}

        /// The fields of a streamed form (`files[…]` parts are spooled separately).
        init(_ fields: [String: String]) {
            func value(_ name: String) -> String? { fields[name] }
            unitCode = value("unitCode")
            receivingUnitCode = value("receivingUnitCode")
            fullName = value("fullName")
            idNumber = value("idNumber")
            phone = value("phone")
            email = value("email")
            address = value("address")
            identityChecked = value("identityChecked")
            resultDelivery = value("resultDelivery")
            noiDung = value("noiDung")
            var reuse: [String: String] = [:]
            for (key, chosen) in fields where key.hasPrefix("reuse[") && key.hasSuffix("]") {
                reuse[String(key.dropFirst(6).dropLast())] = chosen
            }
            self.reuse = reuse
        }
    }

    func form(_ req: Request) async throws -> Response {
        let procedure = try await Self.procedure(req)
        let principal = try req.principal()
        var form = Form()
        if principal.kind == .applicant, let account = try await UserModel.find(principal.id, on: req.db) {
            // "Only once": what the account already knows is not asked again.
            form.fullName = account.fullName
            form.idNumber = try account.idNumberSealed.map(req.egov.personalData.open)
            form.phone = account.phone
            form.email = account.email
        }
        return try await page(req, procedure: procedure, form: form, errors: [])
    }

    func submit(_ req: Request) async throws -> Response {
        let procedure = try await Self.procedure(req)
        let principal = try req.principal()
        let upload = try await req.receiveForm()
        defer { upload.discard() }
        let form = Form(upload.fields)
        var attachments: [IncomingFile] = []
        for component in procedure.components {
            if let file = upload.files.first(where: { $0.field == "files[\(component.id)]" }) {
                attachments.append(IncomingFile(componentID: component.id, fileName: file.fileName, contentType: file.contentType,
                                                content: .spooled(file)))
            } else if let reused = form.reuse?[component.id].flatMap(UUID.init(uuidString:)) {
                attachments.append(IncomingFile(componentID: component.id, fileName: "", contentType: nil, content: .stored(reused)))
            }
        }
        let text = (form.noiDung ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let applicant = SubmissionInput.Applicant(fullName: form.fullName, idNumber: form.idNumber, phone: form.phone, email: form.email,
                                                  address: form.address, identityChecked: form.identityChecked == "1")
        let submission = Submission(procedureCode: procedure.code, unitCode: form.unitCode, receivingUnitCode: form.receivingUnitCode,
                                    resultDelivery: form.resultDelivery,
                                    applicant: applicant, form: text.isEmpty ? nil : .object(["noiDung": .string(text)]),
                                    attachments: attachments)
        do {
            let dossier = try await DossierSubmission(services: req.egov).submit(submission, by: principal, clientAddress: req.clientAddress,
                                                                                  on: req.db).dossier
            return req.redirect(to: OneStopRoute.dossier(code: dossier.code).path + "?submitted=1")
        } catch let error as EGovError where error.status == .badRequest {
            return try await page(req, procedure: procedure, form: form, errors: error.fieldErrors, status: .badRequest)
        }
    }

    static func procedure(_ req: Request) async throws -> Procedure {
        let code = req.parameters.get("code") ?? ""
        guard let procedure = try await CatalogueStore.procedure(code: code, on: req.db) else {
            throw EGovError.notFound(LocalizedText(vi: "Không có thủ tục hành chính mã “\(code)”.", en: "No procedure with code “\(code)”."))
        }
        return procedure
    }

    func page(_ req: Request, procedure: Procedure, form: Form, errors: [ValidationError],
              status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let principal = try req.principal()
        let isOfficer = principal.kind == .officer
        let unitCodes = try await CatalogueStore.unitCodes(of: procedure.code, on: req.db)
        let units = try await UnitModel.query(on: req.db).filter(\.$code ~~ unitCodes).sort(\.$sortOrder).all()
        let definition = try await CatalogueStore.process(procedure.processID(in: unitCodes.first ?? ""), on: req.db)
        let choosesCommune = !isOfficer && definition.map(ReceptionRule.init) == .applicantChoosesCommune
        let communes = choosesCommune ? try await UnitModel.query(on: req.db).filter(\.$type == UnitType.commune.rawValue)
            .sort(\.$sortOrder).all() : []
        let stored = isOfficer ? [] : try await PersonalFileModel.query(on: req.db).filter(\.$ownerID == principal.id)
            .sort(\.$usedAt, .descending).limit(50).all()

        let applicantFields: Node<HTML.FormContext> = .group(
            .h2(.text(ctx.t(OneStopText.applicant))),
            .if(!isOfficer, .p(.class("hint"), .text(ctx.t(OneStopText.prefilled)))),
            Layout.field(ctx, name: "fullName", label: OneStopText.fullName, value: form.fullName, autocomplete: "name", errors: Self.fieldErrors(errors)),
            Layout.field(ctx, name: "idNumber", label: OneStopText.idNumber, value: form.idNumber, required: isOfficer, autocomplete: "off",
                         errors: Self.fieldErrors(errors)),
            Layout.field(ctx, name: "phone", label: OneStopText.phone, type: .tel, value: form.phone, required: false, autocomplete: "tel",
                         errors: Self.fieldErrors(errors)),
            Layout.field(ctx, name: "email", label: OneStopText.email, type: .email, value: form.email, required: false,
                         autocomplete: "email", errors: Self.fieldErrors(errors)),
            Layout.field(ctx, name: "address", label: OneStopText.address, value: form.address, required: false,
                         autocomplete: "street-address"),
            .if(isOfficer, .div(.class("field"), .label(
                .input(.type(.checkbox), .name("identityChecked"), .value("1"), .id("identityChecked")),
                .text(" " + ctx.t(OneStopText.identityChecked))))))
        let unitChoice: Node<HTML.FormContext> = units.count == 1
            ? .input(.type(.hidden), .name("unitCode"), .value(Esc.attr(units[0].code)))
            : Widgets.select(ctx, name: "unitCode", label: OneStopText.unit, options: units.map { ($0.code, $0.name) },
                                  selected: form.unitCode, required: true)
        let communeChoice: Node<HTML.FormContext> = .if(choosesCommune,
            Widgets.select(ctx, name: "receivingUnitCode", label: OneStopText.receivingCommune,
                                options: communes.map { ($0.code, $0.name) }, selected: form.receivingUnitCode, required: true))
        let componentFields: Node<HTML.FormContext> = .group(
            .h2(.text(ctx.t(OneStopText.components))),
            .forEach(procedure.components) { component in
                Self.componentField(ctx, component, stored: stored.filter { $0.componentID == component.id || $0.componentID == nil },
                                    selected: form.reuse?[component.id])
            })
        let body: Node<HTML.BodyContext> = .form(
            .method(.post), .action(Esc.attr(OneStopRoute.submit(procedure: procedure.code).path)), .class("stack wide"),
            .attribute(named: "enctype", value: "multipart/form-data"),
            Layout.csrfField(ctx),
            unitChoice, communeChoice, applicantFields,
            Widgets.select(ctx, name: "resultDelivery", label: OneStopText.resultDelivery,
                                options: DossierModel.Delivery.allCases.map { ($0.rawValue, ctx.t($0.label)) },
                                selected: form.resultDelivery ?? (isOfficer ? "counter" : "online")),
            .h2(.text(ctx.t(OneStopText.formContent))),
            Widgets.textarea(ctx, name: "noiDung", label: OneStopText.formContent, value: form.noiDung),
            componentFields,
            .button(.type(.submit), .id("submit-dossier"), .text(ctx.t(OneStopText.send))))
        return Layout.page(ctx, title: procedure.name, crumbs: OneStopViews.crumbs(ctx, [
            .init(title: ctx.t(OneStopText.procedures), href: OneStopRoute.procedures(q: nil, field: nil, unit: nil, page: 1).path),
            .init(title: procedure.code, href: OneStopRoute.procedure(code: procedure.code).path),
        ], last: ctx.t(isOfficer ? OneStopText.receiveAtCounter : OneStopText.submitOnline)), status: status, content: .group(
            Layout.errorSummary(ctx, errors), body))
    }

    /// Errors named after the API's fields (`applicant.fullName`) shown next to the form's (`fullName`).
    static func fieldErrors(_ errors: [ValidationError]) -> [ValidationError] {
        errors.map { ValidationError(field: $0.field.replacingOccurrences(of: "applicant.", with: ""), message: $0.message) }
    }

    static func componentField(_ ctx: PageContext, _ component: DossierComponent, stored: [PersonalFileModel],
                               selected: String?) -> Node<HTML.FormContext> {
        let id = "file-\(component.id)"
        let accept = component.fileTypes.map { ".\($0)" }.joined(separator: ",")
        let label = component.name + " (" + ctx.t(component.required ? OneStopText.required : OneStopText.optional) + ")"
        return .div(.class("field component"),
                    .label(.for(id), .text(label)),
                    .p(.class("hint"), .text("\(ctx.t(OneStopText.accepted)): \(component.fileTypes.joined(separator: ", "))")),
                    .input(.type(.file), .name("files[\(component.id)]"), .id(id), .attribute(named: "accept", value: Esc.attr(accept))),
                    .if(!stored.isEmpty, Widgets.select(
                        ctx, name: "reuse[\(component.id)]", label: OneStopText.reuse,
                        options: [("", ctx.t(OneStopText.reuseNone))] + stored.compactMap { file in
                            file.id.map { ($0.uuidString, "\(file.label == file.name ? file.name : "\(file.label) – \(file.name)")") }
                        }, selected: selected)))
    }
}
