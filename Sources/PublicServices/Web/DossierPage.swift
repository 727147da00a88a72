@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// One dossier's page: where it stands, its deadline, files, history, the forms to print, and the
/// actions the visitor may take now (each a small form), payment and rating.
struct DossierPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.dossier(code: "").pattern, use: show)
        routes.on(.POST, OneStopRoute.dossierAction(code: "", action: "").pattern, body: .stream, use: act).streamsForm()
        routes.get(OneStopRoute.dossierFile(code: "", file: "").pattern, use: file)
        routes.post(OneStopRoute.dossierPayment(code: "").pattern, use: pay)
    }

    func show(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: principal)
        let key = req.query[String.self, at: "notice"] ?? (req.query[String.self, at: "submitted"] == "1" ? "submitted" : nil)
        let notice: LocalizedText? = switch key {
        case "submitted": LocalizedText(vi: "Đã nộp hồ sơ. Mã hồ sơ: \(dossier.code).", en: "Dossier submitted. Its code: \(dossier.code).")
        case "done": LocalizedText(vi: "Đã thực hiện thao tác.", en: "Done.")
        case "paid": LocalizedText(vi: "Đã ghi nhận phí, lệ phí.", en: "The fees are recorded.")
        case "rated": LocalizedText(vi: "Cảm ơn bạn đã đánh giá.", en: "Thank you for your rating.")
        default: nil
        }
        return try await render(req, dossier: dossier, principal: principal, notice: notice.map { $0.text(req.language) }, problem: nil)
    }

    func render(_ req: Request, dossier: DossierModel, principal: Principal, notice: String?, problem: String?,
                status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let service = DossierActions(services: req.egov, db: req.db)
        let context = try await service.context(of: dossier)
        let now = req.egov.clock.now()
        let dto = try await DossierDTO.make(dossier, definition: context.definition, services: req.egov, calendar: context.calendar, now: now,
                                            language: ctx.language, on: req.db)
        let actions = try await service.actions(on: dossier, for: principal)
        var actionForms: [Node<HTML.BodyContext>] = []
        for action in actions {
            actionForms.append(try await actionForm(ctx, req: req, dossier: dossier, action: action, context: context))
        }
        let isApplicant = DossierAccess.isApplicant(principal, of: dossier)
        let rating = try await RatingModel.query(on: req.db).filter(\.$dossierID == dossier.requireID()).first()
        return Layout.page(ctx, title: "\(ctx.t(OneStopText.dossier)) \(dossier.code)", crumbs: OneStopViews.crumbs(ctx, [
            .init(title: ctx.t(principal.kind == .officer ? OneStopText.queue : OneStopText.myDossiers),
                  href: principal.kind == .officer ? OneStopRoute.queue(deadline: nil, page: 1).path : OneStopRoute.myDossiers(page: 1).path),
        ], last: dossier.code), status: status, content: .group(
            .unwrap(notice) { Layout.notice($0) },
            .unwrap(problem) { .div(.class("error-summary"), .attribute(named: "role", value: "alert"), .p(.text($0))) },
            Self.summary(ctx, dto),
            paymentBlock(ctx, dossier: dossier, principal: principal, isApplicant: isApplicant),
            .if(!actionForms.isEmpty, .section(.class("actions-panel"), .h2(.text(ctx.t(OneStopText.actions))), .group(actionForms))),
            .if(isApplicant && dossier.status == DossierStatus.done.rawValue,
                RatingPage.block(ctx, code: dossier.code, rating: rating)),
            Self.filesBlock(ctx, dto),
            Self.historyBlock(ctx, dto),
            Self.formsBlock(ctx, dossier, now: now, calendar: context.calendar)
        ))
    }

    static func summary(_ ctx: PageContext, _ dto: DossierDTO) -> Node<HTML.BodyContext> {
        OneStopViews.facts([
            (ctx.t(OneStopText.dossierCode), .code(.id("dossier-code"), .text(dto.code))),
            (ctx.t(OneStopText.procedure), .text(dto.procedureName)),
            (ctx.t(OneStopText.status), .strong(.id("dossier-status"), .attribute(named: "data-status", value: Esc.attr(dto.status)), .text(dto.statusName))),
            (ctx.t(OneStopText.currentStep), .text(dto.currentStep.name)),
            (ctx.t(OneStopText.deadline), OneStopViews.badge(ctx, deadline: dto.deadline)),
            (ctx.t(OneStopText.submittedAt), .text(OneStopViews.date(dto.submittedAt))),
            (ctx.t(OneStopText.receivedAt), .text(OneStopViews.date(dto.receivedAt))),
            (ctx.t(OneStopText.dueAt), .text(OneStopViews.date(dto.dueAt))),
            (ctx.t(OneStopText.stepDueAt), .text(OneStopViews.date(dto.currentStep.dueAt))),
            (ctx.t(OneStopText.assignee), .text(dto.currentStep.assignee ?? "—")),
            (ctx.t(OneStopText.applicantName), .text(dto.applicant.fullName)),
            (ctx.t(OneStopText.resultDelivery), .text(DossierModel.Delivery(rawValue: dto.resultDelivery).map { ctx.t($0.label) } ?? dto.resultDelivery)),
            (ctx.t(OneStopText.feeDue), .text(dto.fee.amount == 0 ? ctx.t(OneStopText.free)
                : VND.format(dto.fee.amount) + (dto.fee.paid ? " – \(ctx.t(OneStopText.paid))" : ""))),
        ])
    }

    func paymentBlock(_ ctx: PageContext, dossier: DossierModel, principal: Principal, isApplicant: Bool) -> Node<HTML.BodyContext> {
        guard dossier.feeAmount > 0, !dossier.feePaid, !dossier.isFinished else { return .empty }
        guard isApplicant || DossierAccess.mayTakeCash(principal, for: dossier) else { return .empty }
        return .section(.class("payment"),
                        .h2(.text("\(ctx.t(OneStopText.feeDue)): \(VND.format(dossier.feeAmount))")),
                        .form(.method(.post), .action(Esc.attr(OneStopRoute.dossierPayment(code: dossier.code).path)),
                              Layout.csrfField(ctx),
                              .input(.type(.hidden), .name("method"), .value(Esc.attr(isApplicant ? "online" : "cash"))),
                              .button(.type(.submit), .id("pay-online"),
                                      .text(ctx.t(isApplicant ? OneStopText.pay : OneStopText.cash)))))
    }

    func actionForm(_ ctx: PageContext, req: Request, dossier: DossierModel, action: ProcessDefinition.Action,
                    context: DossierActions.Context) async throws -> Node<HTML.BodyContext> {
        let target = ProcessEngine.target(of: action, from: try dossier.caseState())
        let holder = context.definition.step(target)?.holder
        var candidates: [UserModel] = []
        if let holder, !holder.applicant, let position = holder.position, action.to != ProcessDefinition.Action.previousStep {
            candidates = try await CaseHolders.officers(holding: position, within: dossier.caseUnits.path(for: holder.unit), on: req.db)
        }
        let components = context.procedure.components
        let consults = holder?.unit == .consulted && action.to != ProcessDefinition.Action.previousStep
        let units = consults ? try await UnitModel.query(on: req.db).filter(\.$type != UnitType.counter.rawValue)
            .filter(\.$code != dossier.competentUnitCode).sort(\.$sortOrder).all() : []
        let formID = "action-\(action.id)"
        let signs = !action.sign.isEmpty
        let fields: Node<HTML.FormContext> = .group(
            Layout.csrfField(ctx),
            Widgets.textarea(ctx, name: "note", label: OneStopText.note, required: action.needsNote, id: "\(formID)-note"),
            .if(consults, Widgets.select(ctx, name: "unit", label: OneStopText.consultedUnit,
                                              options: units.map { ($0.code, $0.name) }, selected: nil, required: true, id: "\(formID)-unit")),
            .if(!candidates.isEmpty, Widgets.select(
                ctx, name: "assignee", label: OneStopText.nextHandler,
                options: [("", ctx.t(OneStopText.anyone))] + candidates.map { ($0.username, $0.fullName) }, selected: nil,
                id: "\(formID)-assignee")),
            .div(.class("field"),
                 .label(.for("\(formID)-file"), .text(ctx.t(signs ? OneStopText.resultPDF : OneStopText.attachments))),
                 .input(.type(.file), .name("file"), .id("\(formID)-file"), .required(signs),
                        .attribute(named: "accept", value: Esc.attr(signs ? ".pdf,application/pdf" : nil)))),
            .if(signs, .p(.class("hint"), .text(ctx.t(action.sign.contains(.seal) ? OneStopText.signsWithSeal : OneStopText.signsOfficer)))),
            .if(action.sign.contains(.officer), Widgets.pin(ctx, name: ResultSigning.officerPINField, label: OneStopText.signingPin,
                                                            id: "\(formID)-pin")),
            .if(action.sign.contains(.seal), Widgets.pin(ctx, name: ResultSigning.sealPINField, label: OneStopText.sealPin,
                                                         id: "\(formID)-seal-pin")),
            .if(action.actionID == DossierAction.supplement, Widgets.select(
                ctx, name: "component", label: OneStopText.components,
                options: components.map { ($0.id, $0.name) }, selected: nil, id: "\(formID)-component")),
            .button(.type(.submit), .id("do-\(action.id)"), .text(action.name)))
        return .details(.class("action"), .attribute(named: "open", value: Esc.attr(action.needsNote ? nil : "open")),
                        .summary(.text(action.name)),
                        .form(.method(.post), .id(formID), .action(Esc.attr(OneStopRoute.dossierAction(code: dossier.code, action: action.id).path)),
                              .attribute(named: "enctype", value: "multipart/form-data"), .class("stack"), fields))
    }

    func act(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let code = req.parameters.get("code") ?? ""
        // A result file may be large: streamed to disk, at most 40 MB.
        let upload = try await req.receiveForm(maxTotalBytes: 40 * 1024 * 1024)
        defer { upload.discard() }
        let form = upload.fields
        var attachments: [IncomingFile] = []
        if let file = upload.files.first(where: { $0.field == "file" }) {
            attachments.append(IncomingFile(componentID: form["component"].flatMap { $0.isEmpty ? nil : $0 }, fileName: file.fileName,
                                            contentType: file.contentType, content: .spooled(file)))
        }
        let service = DossierActions(services: req.egov, db: req.db)
        do {
            _ = try await service.take(req.parameters.get("action") ?? "", on: code, by: principal, clientAddress: req.clientAddress,
                                       input: .init(note: form["note"], assignee: form["assignee"].flatMap { $0.isEmpty ? nil : $0 },
                                                    unit: form["unit"], attachments: attachments,
                                                    pins: ResultSigning.PINs(officer: form[ResultSigning.officerPINField],
                                                                             seal: form[ResultSigning.sealPINField])))
            return req.redirect(to: OneStopRoute.dossier(code: code).path + "?notice=done")
        } catch let error as EGovError where [.badRequest, .conflict, .forbidden].contains(error.status) {
            let dossier = try await service.readable(code, by: principal)
            let ctx = try await PageContext.make(for: req)
            return try await render(req, dossier: dossier, principal: principal, notice: nil, problem: ctx.t(error.detail), status: error.status)
        }
    }

    func file(_ req: Request) async throws -> Response {
        let dossier = try await DossierActions(services: req.egov, db: req.db).readable(req.parameters.get("code") ?? "", by: try req.principal())
        guard let id = req.parameters.get("file").flatMap(UUID.init(uuidString:)),
              let file = try await DossierFileModel.query(on: req.db).filter(\.$id == id).filter(\.$dossierID == dossier.requireID()).first()
        else { throw EGovError.notFound(LocalizedText(vi: "Không có tệp này trong hồ sơ.", en: "No such file in this dossier.")) }
        return try DossiersAPI.download(sha256: file.sha256, name: file.name, contentType: file.contentType, req)
    }

    struct PayForm: Content { var method: String? }

    func pay(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let service = DossierActions(services: req.egov, db: req.db)
        let dossier = try await service.readable(req.parameters.get("code") ?? "", by: principal)
        let payments = PaymentService(services: req.egov, db: req.db)
        if try req.content.decode(PayForm.self).method == "cash" {
            _ = try await payments.recordCash(dossier, by: principal, clientAddress: req.clientAddress)
            return req.redirect(to: OneStopRoute.dossier(code: dossier.code).path + "?notice=paid")
        }
        let started = try await payments.startOnline(dossier, by: principal, clientAddress: req.clientAddress, bankCode: nil,
                                                     locale: req.language == .en ? "en" : "vn")
        return req.redirect(to: started.paymentURL ?? OneStopRoute.dossier(code: dossier.code).path)
    }

    static func filesBlock(_ ctx: PageContext, _ dto: DossierDTO) -> Node<HTML.BodyContext> {
        guard !dto.files.isEmpty else { return .empty }
        return .section(.h2(.text(ctx.t(OneStopText.files))),
                        .ul(.class("files"), .forEach(dto.files) { file in
                            .li(.attribute(named: "data-kind", value: Esc.attr(file.kind)),
                                .a(.href(Esc.attr(OneStopRoute.dossierFile(code: dto.code, file: file.id.uuidString.lowercased()).path)), .text(file.name)),
                                .if(file.kind == "result", .strong(.text(" (\(ctx.t(OneStopText.resultFiles)))"))),
                                .unwrap(file.verificationCode) { code in
                                    .span(.class("verification-code"), .text(" · \(ctx.t(Strings.verificationCode)): "),
                                          .a(.href(Esc.attr(VerificationCodes.link(code, publicURL: nil))), .text(code)))
                                })
                        }))
    }

    static func historyBlock(_ ctx: PageContext, _ dto: DossierDTO) -> Node<HTML.BodyContext> {
        .section(.h2(.text(ctx.t(OneStopText.history))),
                 .table(.id("history"),
                        .thead(.tr(.th(.text(ctx.t(OneStopText.time))), .th(.text(ctx.t(OneStopText.actions))),
                                   .th(.text(ctx.t(OneStopText.actor))), .th(.text(ctx.t(OneStopText.content))))),
                        .tbody(.forEach(dto.history.reversed()) { event in
                            .tr(.td(.text(OneStopViews.date(event.at))), .td(.text(event.actionName)), .td(.text(event.actor)),
                                .td(.text([event.note, event.assignee.map { "→ \($0)" }, event.files.isEmpty ? nil : event.files.joined(separator: ", ")]
                                    .compactMap { $0 }.joined(separator: " · "))))
                        })))
    }

    static func formsBlock(_ ctx: PageContext, _ dossier: DossierModel, now: Date, calendar: WorkingDayCalendar) -> Node<HTML.BodyContext> {
        let available = OneStopForm.allCases.filter { $0.isAvailable(for: dossier, now: now, calendar: calendar) }
        return .section(.class("no-print"), .h2(.text(ctx.t(OneStopText.forms))),
                        .ul(.forEach(available) { form in
                            .li(.a(.href(Esc.attr(OneStopRoute.form(code: dossier.code, number: form.rawValue).path)), .text(ctx.t(form.title))))
                        }))
    }
}
