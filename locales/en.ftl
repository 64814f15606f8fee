### Texts of the documents (PDF) in English, one message per line: key = text.
### You may change the text after the `=`. Leave the words in braces, such as { $end_date },
### as they are: the program fills in the right details there. Every key must exist in
### nl.ftl, fr.ftl and en.ftl (a test checks it). Lists are numbered: -1, -2, ...

## Loan agreement

# Text of the loan agreement in English.
#
# Keep the language simple: many borrowers do not read easily.
# The agreement must not grow beyond two pages.

agreement-document-title = Loan agreement
agreement-document-subtitle = What we agree when you borrow a device
agreement-document-number = Number { $agreement_number }
agreement-document-footer = Loan agreement { $agreement_number } – page { $page } of { $pages }

agreement-parties-heading = 1. Who makes this agreement?
agreement-parties-lender = The lender
agreement-parties-borrower = You, the borrower
agreement-parties-social-worker = Your social worker

agreement-devices-heading = 2. What do you borrow?
agreement-devices-intro = You borrow the items below. They remain the property of { $lender_name }.
agreement-devices-serial = Serial number: { $serial }
agreement-devices-no-serial = Serial number: not recorded
agreement-devices-asset-tag = Asset tag: { $asset_tag }
agreement-devices-value = Agreed value: { $value }
agreement-devices-accessories = Accessories: { $accessories }
agreement-devices-no-accessories = Accessories: none

agreement-purpose-heading = 3. What do you use it for?
agreement-purpose-text = You use the device for: { $purpose }

agreement-period-heading = 4. For how long?
agreement-period-text = You borrow the device from { $start_date } up to and including { $end_date }.
agreement-period-checkpoints = In between, you come to a check with the device and its accessories. Together we see whether everything works and whether you need more help. These are the dates:
agreement-period-no-checkpoints = No check is planned before the end date.

agreement-promises-heading = 5. What do you promise?
agreement-promises-items-1 = You take good care of the device and the accessories, as if they were your own.
agreement-promises-items-2 = You use the device only for the purpose above.
agreement-promises-items-3 = You do not lend the device to anyone and you do not give it away.
agreement-promises-items-4 = You do not sell the device and you do not pawn it.
agreement-promises-items-5 = You do not repair the device yourself and you do not let anyone else repair it. A problem? Tell your social worker.
agreement-promises-items-6 = You come to every check.
agreement-promises-items-7 = Lost the device, or was it stolen? Tell your social worker within 3 days. If it was stolen, go to the police first and bring a copy of the police report.
agreement-promises-items-8 = You bring everything back, complete, by { $end_date } at the latest.

agreement-value-heading = 6. Borrowing is free – the agreed value
agreement-value-free = You pay nothing to use the device. We do agree on a value for each device (see point 2). Together that is { $total_value }.
agreement-value-not-returned = If you do not bring a device back by the end date, also after loss or theft, you pay the agreed value of that device, unless the lender decides otherwise.
agreement-value-keep = Would you like to keep the device after the loan? That is only possible in agreement with the lender. You then pay the agreed value and the device becomes yours.

agreement-data-heading = 7. Your files on the device
agreement-data-text = All data of earlier users has been wiped securely. When you bring the device back, we wipe everything on it, including your photos and documents. So make a copy in time of anything you want to keep, for example on a USB stick. We cannot recover your files.

agreement-privacy-heading = 8. Your personal data
agreement-privacy-what = What do we keep? Your name, your address if you gave it, what you borrow, the dates of the loan and the checks, and this agreement. We do not ask for your national register number.
agreement-privacy-why = Why? To carry out this agreement: to follow up the loan and to get the device back. Those who fund the project only get figures from us, without names.
agreement-privacy-how-long = How long? Up to 2 years after the loan ends. After that we make your data anonymous. If you still owe an agreed value, we keep what is needed for that until it is settled.
agreement-privacy-rights = Your rights: you may ask which data we hold on you and get a copy. You may ask us to correct mistakes or to erase your data. We answer within one month.
agreement-privacy-contact = Questions? Talk to { $social_worker_name } or contact { $lender_name }. You can also complain to the Belgian Data Protection Authority (www.dataprotectionauthority.be).

agreement-signatures-heading = 9. Signatures
agreement-signatures-intro = We make two copies. You and the lender each get one.
agreement-signatures-place-date = Signed in { $place } on { $signed_on }.
agreement-signatures-borrower = The borrower
agreement-signatures-social-worker = For the lender: the social worker
agreement-signatures-name = Name: { $name }
agreement-signatures-signature = Signature:

agreement-purposes-job-search = looking for work
agreement-purposes-school = school and training
agreement-purposes-administration = paperwork and public services
agreement-purposes-social-contact = keeping in touch with family and friends
agreement-purposes-other = personal use

## Pick list and booking confirmation

# Texts of the pick list (for staff) and of the booking confirmation (for the school or
# organisation), in English.

booking-pick-list-title = Pick list
booking-pick-list-reference = Booking { $booking_reference }
booking-pick-list-footer = Pick list { $booking_reference } – page { $page } of { $pages }
booking-pick-list-organisation = Organisation
booking-pick-list-pickup = Pick-up on
booking-pick-list-return = Return on
booking-pick-list-count = Number of devices
booking-pick-list-col-check = OK
booking-pick-list-col-code = QR
booking-pick-list-col-asset-tag = Asset tag
booking-pick-list-col-kind = Kind
booking-pick-list-col-model = Model
booking-pick-list-col-shelf = Shelf location
booking-pick-list-no-shelf = –
booking-pick-list-col-accessories = Accessories
booking-pick-list-no-accessories = none
booking-pick-list-picked-by = Picked by:
booking-pick-list-checked-by = Checked by:

booking-confirmation-title = Confirmation of your booking
booking-confirmation-reference = Booking { $booking_reference }
booking-confirmation-footer = Booking { $booking_reference } – page { $page } of { $pages }
booking-confirmation-greeting = Dear { $contact_name },
booking-confirmation-intro = We confirm the booking of { $organisation } with { $lender_name }. Below you find what you borrow and when.
booking-confirmation-organisation = Organisation
booking-confirmation-contact = Contact person
booking-confirmation-pickup = Pick-up
booking-confirmation-return = Return
booking-confirmation-pickup-at = { $pickup_date } at { $pickup_place }
booking-confirmation-purpose = Purpose
booking-confirmation-opening-hours = Opening hours
booking-confirmation-return-how = How to return
booking-confirmation-col-kind = Kind of device
booking-confirmation-col-quantity = Quantity
booking-confirmation-total = Total
booking-confirmation-conditions-heading = What we agree
booking-confirmation-conditions-1 = Borrowing is free of charge.
booking-confirmation-conditions-2 = Collect the equipment on the agreed day and bring everything back, complete, on { $return_date }.
booking-confirmation-conditions-3 = At pick-up, check with us that everything is there and works.
booking-confirmation-conditions-4 = Take good care of the equipment and do not lend it to others. Report damage, loss or theft straight away; in case of theft, file a police report.
booking-confirmation-conditions-5 = We wipe all devices after use. Keep a copy of anything you want to keep and sign out of every account before you bring the devices back.
booking-confirmation-conditions-6 = Cannot make it? Let us know as soon as possible, so that someone else can use the equipment.
booking-confirmation-closing = Kind regards,

## Certificate of data sanitisation

# Text of the certificate of data sanitisation, in English.

certificate-document-title = Certificate of data sanitisation
certificate-document-number = Certificate no. { $certificate_number }
certificate-document-footer = Certificate { $certificate_number } – page { $page } of { $pages }
certificate-document-donor = Donor
certificate-document-workshop = Carried out by
certificate-document-issued = Date of issue
certificate-document-intro = We certify that the storage media of the devices donated by { $donor_name } were treated as described below, medium by medium.

certificate-columns-device = Asset tag / device serial
certificate-columns-drive = Medium (type, serial)
certificate-columns-method = Method / tool
certificate-columns-verification = Verification (by whom)
certificate-columns-outcome = Outcome / destination
certificate-columns-date = Date / technician

certificate-values-unknown = unknown
certificate-values-method = { $category }: { $technique }
certificate-values-verification-full = full
certificate-values-verification-sample = sample
certificate-values-verification-none = none
certificate-values-verified-by = by { $name }
certificate-values-verifier-unknown = verifier not recorded
certificate-values-outcome-passed = passed
certificate-values-outcome-failed = failed
certificate-values-outcome-destroyed = destroyed
certificate-values-destination-reuse = reuse
certificate-values-destination-recycling = recycling
certificate-values-anonymous-donor = Anonymous donor

certificate-categories-clear = clear
certificate-categories-purge = purge
certificate-categories-destroy = destroy

certificate-techniques-overwrite = overwrite, { $passes } pass(es)
certificate-techniques-block-erase = block erase
certificate-techniques-crypto-erase = cryptographic erase
certificate-techniques-firmware-secure-erase = firmware secure erase
certificate-techniques-factory-reset = factory reset
certificate-techniques-physical-destruction = physical destruction

certificate-drive-types-hdd = hard disk (HDD)
certificate-drive-types-ssd = SSD
certificate-drive-types-nvme = NVMe SSD
certificate-drive-types-emmc = built-in memory (eMMC)
certificate-drive-types-flash = flash memory
certificate-drive-types-other = other medium

certificate-totals-heading = Totals
certificate-totals-devices = Devices: { $count }
certificate-totals-drives = Storage media: { $count }
certificate-totals-passed = Passed: { $count }
certificate-totals-failed = Failed: { $count }
certificate-totals-destroyed = Destroyed: { $count }

certificate-statement-nist = Sanitisation follows NIST SP 800-88 (Guidelines for Media Sanitization). For each medium the category (clear, purge or destroy), the technique, the tool with its version, the verification and who verified, and the destination of the device after sanitisation (reuse or recycling) are recorded.
certificate-statement-failed = Media with the outcome “failed” are not covered by this certificate: they are sanitised again or physically destroyed before the device is reused.

certificate-signature-heading = For { $workshop_name }
certificate-signature-name = Name and title:
certificate-signature-place = Place:
certificate-signature-date = Date:
certificate-signature-signature = Signature:

## Words shared by the documents

# Words printed in several documents, in English: kinds of devices, kinds of peripherals
# and the name printed in place of an anonymised person.

kind-laptop = laptop
kind-tablet = tablet
kind-robot = robot
kind-smartphone = smartphone
kind-desktop = desktop computer
kind-peripheral = peripheral

subtype-beamer = projector
subtype-vr-headset = VR headset
subtype-headphones = headphones
subtype-charger = charger
subtype-hotspot = mobile hotspot
subtype-webcam = webcam
subtype-mouse = mouse
subtype-keyboard = keyboard
subtype-monitor = monitor
subtype-speaker = speaker
subtype-printer = printer
subtype-camera = camera

person-anonymised = Anonymised borrower

## Pages (web-…). Plain language (B1): short sentences, everyday words.
web-service-name = Digilend
web-skip-link = Skip to the content
web-language-label = Language
web-nav-label = Main menu
web-sign-out = Sign out
web-errors-title = Something needs fixing
web-error-prefix = Error:
web-footer = Digilend: refurbished devices on loan, for everyone.
web-nav-home = Home
web-nav-workshop = Workshop
web-nav-people = People
web-home-about-home = Your start page.
web-home-about-workshop = Scan devices, record wipes and repairs, and see what is waiting.
web-home-about-people = Invite people and send a new password link.
web-role-admin = admin
web-role-coordinator = coordinator
web-role-lending-staff = lending service
web-role-refurbisher = workshop
web-role-social-worker = social worker
web-role-requester = school or organisation
web-home-title = Home
web-home-heading = Hello { $name }
web-home-role-admin = You manage the people who use Digilend. You can also do the work of every other role.
web-home-role-coordinator = You follow the figures of the year. The pages for the figures come soon; until then, use the API.
web-home-role-lending-staff = You register donations and hand out and take back devices. Your pages come soon; until then, use the API.
web-home-role-refurbisher = You wipe and repair devices in your workshop. Scan a label to open a device.
web-home-role-social-worker = You lend devices to people. Your pages come soon; until then, use the API.
web-home-role-requester = You book devices for your school or organisation. Your pages come soon; until then, use the API.
web-error-title = Error
web-error-home = Go to the start page
web-error-bad-request-title = This did not work
web-error-bad-request-text = The request could not be read. Go back and try again.
web-error-unauthorized-title = Please sign in
web-error-unauthorized-text = Sign in to see this page.
web-error-forbidden-title = Not allowed
web-error-forbidden-text = Your role may not do this. Ask an admin if you need it.
web-error-not-found-title = Page not found
web-error-not-found-text = We cannot find this page or this record. Check the address, or start again from the start page.
web-error-conflict-title = This cannot be done now
web-error-conflict-text = This cannot be done in the current state.
web-error-invalid-title = Some details are not right
web-error-invalid-text = Some details are not right:
web-error-busy-title = Please wait a moment
web-error-busy-text = It is very busy right now. Nothing was saved. Try again in a moment.
web-error-internal-title = Something went wrong
web-error-internal-text = Something went wrong on our side. We have noted it. Try again later.
web-sign-in-title = Sign in
web-sign-in-intro = Sign in with your e-mail address and your password.
web-field-email = E-mail address
web-field-password = Password
web-field-new-password = New password
web-sign-in-button = Sign in
web-sign-in-forgot = Forgot your password? Ask an admin for a new link.
web-sign-in-email-missing = Enter your e-mail address.
web-sign-in-password-missing = Enter your password.
web-sign-in-wrong = The e-mail address or the password is not right. Check them and try again.
web-sign-in-wait = Too many attempts that did not work. Wait { $seconds } seconds, then try again.
web-welcome-title = Choose your password
web-welcome-heading = Welcome, { $name }
web-welcome-intro = Choose a password. Then you are signed in.
web-welcome-intro-reset = Choose a new password. You are then signed out everywhere else.
web-welcome-email-hint = You sign in with this address.
web-welcome-password-hint = At least 15 characters. A few words you remember work well. Spaces are fine.
web-welcome-button = Save and sign in
web-welcome-done = Your password is saved. You are signed in.
web-welcome-unusable-title = This link does not work
web-welcome-unknown = We do not know this link. Check that you copied all of it.
web-welcome-used = This link was used already. A link works only once.
web-welcome-expired = This link is too old, or a newer link was made.
web-welcome-ask-again = Ask an admin for a new link.
web-people-title = People
web-people-intro = Make a link for a person to choose a password. The link is shown once. Send it to them yourself.
web-people-disabled = Disabled
web-people-has-password = Has a password
web-people-no-password = Has no password yet
web-people-invite = Invite { $name }
web-people-reset = New password link for { $name }
web-people-back = Back to the people
web-link-title = One-time link
web-link-heading = Invitation for { $name }
web-link-heading-reset = New password link for { $name }
web-link-intro = Send this link to the person. It works once, until { $expires }.
web-link-once = This link is shown only now. If it gets lost, make a new one.
web-refusal-password-short = is too short: use at least 15 characters, for example a few words
web-refusal-password-long = is too long: use at most 128 characters
web-refusal-password-common = is too easy to guess: choose a less common password
web-refusal-password-email = must not be your e-mail address
web-refusal-email-invalid = is not a valid e-mail address
web-refusal-to-before-from = must not be before from
web-refusal-email-taken = is the address of another account; use your own
web-refusal-csrf = This form was not sent from this site or has expired. Open the page again and send it again.
web-refusal-sign-in = Sign in to see this page.
web-refusal-user-disabled = This user is disabled; enable them before sending a link.

## Workshop bench: refusals and what to do next

# Why the bench refused something (one per code of src/domain/refusal.rs), and the next step.

web-workshop-refusal-action_not_allowed = This step is not possible for this device now.
web-workshop-next-action_not_allowed = See "What next?" for the steps that are possible.
web-workshop-refusal-not_on_the_bench = This device is not in the workshop. You cannot record a wipe or a check now.
web-workshop-next-not_on_the_bench = Ask the lending service to send the device back to the workshop.
web-workshop-refusal-handed_out = This device is out on loan.
web-workshop-next-handed_out = The lending service first records that it came back.
web-workshop-refusal-through_loans_or_bookings = This step happens when lending or booking, not here.
web-workshop-next-through_loans_or_bookings = Leave this to the lending service.
web-workshop-refusal-storage_not_wiped = Not all storage has been wiped safely.
web-workshop-next-storage_not_wiped = Wipe every drive and record the result. Did the wipe fail? Wipe it again.
web-workshop-refusal-wipe_first = This device keeps data. It must be wiped first.
web-workshop-next-wipe_first = Record a wipe that passed first.
web-workshop-refusal-refurbishment_failed = The latest check did not pass.
web-workshop-next-refurbishment_failed = Repair the device and check it again, or send it for recycling.
web-workshop-refusal-refurbishment_missing = No check has been recorded since the wipe.
web-workshop-next-refurbishment_missing = Record the check of the device.
web-workshop-refusal-back_from_loan = This device is back from a loan to a person.
web-workshop-next-back_from_loan = Wipe the device and do a full check before you release it.
web-workshop-refusal-category_not_for_technique = This kind of wipe does not fit this method.
web-workshop-next-category_not_for_technique = Choose a kind that fits the method. Overwriting is "clear", destroying is "destroy".
web-workshop-refusal-flash_overwrite_is_clear = Overwriting an SSD or flash memory only counts as a simple wipe (clear).
web-workshop-next-flash_overwrite_is_clear = Choose "clear", or use the drive's own sanitize or crypto-erase command.
web-workshop-refusal-passes_required = Overwriting needs at least one pass.
web-workshop-next-passes_required = Fill in the number of passes (1 or more).
web-workshop-refusal-ended_before_started = The end is before the start.
web-workshop-next-ended_before_started = Check the start and end times.
web-workshop-refusal-moment_out_of_range = This time cannot be right.
web-workshop-next-moment_out_of_range = Check the date and time. They cannot be in the future.
web-workshop-refusal-started_before_registration = The wipe started before the device came in.
web-workshop-next-started_before_registration = Check the start time.
web-workshop-refusal-verification_mismatch = "Verified" and the way of verifying do not fit together.
web-workshop-next-verification_mismatch = Verified? Choose sample or full. Not verified? Choose none.
web-workshop-refusal-which_drive = This device has more than one drive.
web-workshop-next-which_drive = Fill in one line per drive.
web-workshop-refusal-not_a_drive = This drive does not belong to this device.
web-workshop-next-not_a_drive = Open the device page again and choose a drive from the list.
web-workshop-refusal-drive_type_required = Say what kind of built-in storage the device has.
web-workshop-next-drive_type_required = Choose the storage type (for example eMMC or SSD).
web-workshop-refusal-check_required = Not all checks are filled in.
web-workshop-next-check_required = Fill in every check with "works" or "does not work".
web-workshop-refusal-pass_with_failed_check = A check does not work, so the device cannot pass.
web-workshop-next-pass_with_failed_check = Choose "did not pass", or repair the device and check it again.
web-workshop-refusal-battery_required = The battery's health is missing.
web-workshop-next-battery_required = Fill in the battery as a percentage (full charge divided by the original capacity).
web-workshop-refusal-report_already_attached = This wipe has its report already. A report is evidence and is not replaced.
web-workshop-next-report_already_attached = You need not do anything. Was the report wrong? Record the wipe again with the right report.
web-workshop-refusal-report_mismatch = This file is not the report recorded with the wipe.
web-workshop-next-report_mismatch = Choose the report the wipe tool made for this drive.
web-workshop-refusal-report_unreadable = This file is empty or not a report of a known type.
web-workshop-next-report_unreadable = Choose a PDF, text, XML or JSON file from the wipe tool.

## Workshop bench pages

# The device page, the workshop's queue and batches, batch mode (src/web/workshop/).

web-workshop-device-title = Device
web-workshop-title = Workshop
web-workshop-serial = serial number
web-workshop-status = Status
web-workshop-next = What next?
web-workshop-wipe-title = Wipe safely
web-workshop-field-method = Wipe method
web-workshop-field-drive-type = Kind of storage
web-workshop-field-outcome = Result of the wipe
web-workshop-field-tool = Wipe tool
web-workshop-field-tool-hint = For example nwipe, ShredOS or Blancco.
web-workshop-field-tool-version = Version of the tool
web-workshop-field-passes = Number of passes
web-workshop-field-verification = Checked afterwards
web-workshop-wipe-button = Save the wipe
web-workshop-wipe-step-button = Wiped: next step
web-workshop-refurbish-title = Check and grade
web-workshop-field-checks = What works?
web-workshop-field-checks-hint = Tick what works.
web-workshop-field-battery = Battery (%)
web-workshop-field-battery-hint = Full charge divided by the original capacity.
web-workshop-field-grade = Looks
web-workshop-field-result = Did it pass the check?
web-workshop-field-os = System installed (optional)
web-workshop-field-minutes = Minutes of work (optional)
web-workshop-refurbish-button = Save the check
web-workshop-repair-button = Send to repair
web-workshop-release-button = Ready to lend
web-workshop-add-to-batch = Add to the batch
web-workshop-wipes-title = Wipes
web-workshop-report-download = Report
web-workshop-report-file = Report of the wipe tool
web-workshop-report-hint = A PDF, text, XML or JSON file, at most 5 MB.
web-workshop-report-button = Add the report
web-workshop-history-title = History
web-workshop-drive = Drive
web-workshop-builtin = Built-in storage
web-workshop-choose = Make a choice.
web-workshop-number = Fill in a number.
web-workshop-choose-file = Choose a file.
web-workshop-field-invalid = This is not filled in correctly. Check it.
web-workshop-scan-link = Scan a batch
web-workshop-queue-wipe = Waiting for a wipe
web-workshop-queue-refurbish = Waiting for a check
web-workshop-queue-failed = Failed
web-workshop-queue-empty = Nothing in this list.
web-workshop-queue-oldest = These are the {$n} oldest of each list.
web-workshop-queue-all = Show all devices

## Figures page (coordinators)
web-nav-figures = Figures
web-home-about-figures = What the year achieved: devices, people, bookings, workshop, environment. With downloads for Excel.
web-figures-title = Figures
web-figures-year = Year
web-figures-show = Show the figures
web-figures-other-period = Another period
web-figures-from = First day
web-figures-to = Last day
web-figures-year-invalid = Choose a year from the list.
web-figures-day-invalid = Enter a date, for example 2026-01-31.
web-figures-period = From { $from } to { $to }, both included
web-figures-frozen = frozen: these figures no longer change
web-figures-frozen-done = The year is frozen. Downloading it again always gives the same file.
web-figures-freeze = Freeze { $year }
web-figures-freeze-hint = For the report to your funders: the figures of this closed year are kept as they are now. Later corrections no longer change them.
web-figures-download-csv = Download for Excel (CSV)
web-figures-download-xlsx = Download as a workbook (XLSX)
web-figures-none = There are no figures you may see.
web-figures-groups = Parts
web-figures-part = Part
web-figures-value = Number
web-figures-per = { $name } by { $by }
web-figures-method = Calculated with { $name }, version { $version }. Source: { $source }
web-figures-days = { $n } days
web-figures-unit-kg = { $n } kg
web-figures-unit-kg_co2e = { $n } kg CO2e
web-figures-donor-anonymous = anonymous donor
web-figures-donor-none = no donation batch
web-figures-group-devices = Devices
web-figures-group-people = People
web-figures-group-bookings = Bookings
web-figures-group-workshop = Workshop
web-figures-group-environment = Environment
web-figures-by-kind = kind of device
web-figures-by-donor = donor
web-figures-by-category = kind of wipe (NIST)
web-figures-by-grade = grade (A, B, C)
web-figures-by-status = status
web-figures-by-programme = programme
web-figures-by-office = office
web-figures-by-organisation-kind = kind of organisation
web-figures-by-stage = workshop stage
web-figures-orgkind-school = school
web-figures-orgkind-non-profit = non-profit
web-figures-orgkind-city-service = city service
web-figures-orgkind-welfare-office = welfare office
web-figures-orgkind-workshop = workshop
web-figures-orgkind-lending-service = lending service
web-figures-orgkind-donor-company = donor company
web-figures-registered = Devices registered
web-figures-wiped = Devices wiped
web-figures-media-wiped = Drives wiped
web-figures-refurbished = Devices refurbished
web-figures-released = Devices made ready
web-figures-lent = Devices lent to people
web-figures-booked-out = Devices out on a booking
web-figures-returned = Devices returned
web-figures-lost = Devices lost
web-figures-sold = Devices bought by the borrower
web-figures-retired = Devices retired
web-figures-found = Lost devices found again
web-figures-stock-at-end = Devices on the last day
web-figures-people-reached = People reached
web-figures-borrower-records = Borrower records
web-figures-possible-duplicates = Possible duplicate records (counted once)
web-figures-loans-signed = Loans signed
web-figures-devices-lent = Devices in signed loans
web-figures-loans-active-at-end = Loans running on the last day
web-figures-checkpoints-on-time = Check-ups on time
web-figures-checkpoints-late = Check-ups late
web-figures-charges-raised-eur = Charged
web-figures-charges-paid-eur = Paid
web-figures-charges-waived-eur = Waived
web-figures-requested = Bookings asked for
web-figures-confirmed = Bookings confirmed
web-figures-refused = Bookings not served
web-figures-cancelled = Bookings cancelled
web-figures-devices-booked-out = Devices handed out
web-figures-organisations-served = Organisations served
web-figures-quantity-requested = Devices asked for
web-figures-quantity-served = Devices handed out for those bookings
web-figures-share-served = Share of the demand served
web-figures-stage-exits = Devices through each stage
web-figures-stage-days-median = Time in the stage (median)
web-figures-stage-days-p90 = Time in the stage (9 in 10 quicker)
web-figures-wipes-failed = Wipes failed
web-figures-refurbishments-failed = Refurbishments failed
web-figures-devices-reused = Devices reused
web-figures-co2e-avoided-kg = Emissions avoided
web-figures-co2e-avoided-kg-low = Emissions avoided (low)
web-figures-co2e-avoided-kg-high = Emissions avoided (high)
web-figures-ewaste-avoided-kg = E-waste avoided
web-figures-devices-not-estimated = Reused, not estimated

web-workshop-since = since
web-workshop-batches-title = Donations
web-workshop-batches-empty = No donations for this workshop yet.
web-workshop-certificate = Certificate of wiping (PDF)
web-workshop-certificate-later = The certificate comes when every device is wiped.
web-workshop-batch-anonymous = Anonymous donor
web-workshop-batch-wiped = { $n } of { $m } wiped
web-workshop-batch-refurbished = { $n } checked, { $r } ready
web-workshop-scan-title = Scan a batch
web-workshop-scan-intro = Scan devices one after another. Each device gets the same result.
web-workshop-scan-field = Label or code
web-workshop-scan-field-hint = Scan the label, or type the code (for example GNT-000123) and press Enter.
web-workshop-scan-button = Apply
web-workshop-scan-settings = What to apply?
web-workshop-scan-mode = Step for each device
web-workshop-scan-refurbish-hint = All checks count as passed.
web-workshop-scan-list = Scanned ({ $n } done)
web-workshop-scan-empty = Nothing scanned yet.
web-workshop-scan-clear = Clear the list
web-workshop-back = Back to the workshop
web-workshop-scan-not-found = This device does not exist or you may not see it. Check the code.
web-workshop-scan-invalid = This is not possible with these settings. See "What to apply?".
web-workshop-scan-mode-wipe = Wipe (and the wiped step)
web-workshop-scan-mode-refurbish = Check (and the checked step)
web-workshop-scan-mode-release = Ready to lend
web-workshop-scan-done-wipe = Wiped.
web-workshop-scan-done-refurbish = Checked.
web-workshop-scan-done-release = Ready to lend.
web-workshop-status-received = Received
web-workshop-status-wiped = Wiped
web-workshop-status-refurbished = Checked
web-workshop-status-ready = Ready to lend
web-workshop-status-on_loan = On loan
web-workshop-status-booked_out = Booked out
web-workshop-status-returned = Returned
web-workshop-status-in_repair = In repair
web-workshop-status-retired = Recycled
web-workshop-status-lost = Lost
web-workshop-status-sold = Sold
web-workshop-event-wipe = Wiped
web-workshop-event-refurbish = Checked
web-workshop-event-release = Released
web-workshop-event-lend = Lent
web-workshop-event-book_out = Booked out
web-workshop-event-check_in = Came back
web-workshop-event-send_to_repair = Sent to repair
web-workshop-event-retire = Recycled
web-workshop-event-mark_lost = Reported lost
web-workshop-event-sell = Sold
web-workshop-event-found = Found
web-workshop-event-registered = Came in
web-workshop-event-edited = Details changed
web-workshop-event-assigned = Given to the workshop
web-workshop-event-drive_added = Drive added
web-workshop-event-wipe_recorded = Wipe recorded
web-workshop-event-refurbishment_recorded = Check recorded
web-workshop-method-clear-overwrite = Overwrite (clear)
web-workshop-method-purge-overwrite = Overwrite a hard disk (purge)
web-workshop-method-purge-block_erase = The drive's block erase (purge)
web-workshop-method-purge-crypto_erase = The drive's crypto erase (purge)
web-workshop-method-purge-firmware_secure_erase = The drive's secure erase (purge)
web-workshop-method-clear-factory_reset = Factory reset, without encryption (clear)
web-workshop-method-purge-factory_reset = Factory reset with encryption (purge)
web-workshop-method-destroy-physical_destruction = Destroyed (destroy)
web-workshop-verification-none = No
web-workshop-verification-sample = Yes, a sample
web-workshop-verification-full = Yes, all of it
web-workshop-drive-hdd = Hard disk (HDD)
web-workshop-drive-ssd = SSD
web-workshop-drive-nvme = NVMe SSD
web-workshop-drive-emmc = eMMC
web-workshop-drive-flash = Flash memory
web-workshop-drive-other = Something else
web-workshop-grade-A = A: like new
web-workshop-grade-B = B: light wear
web-workshop-grade-C = C: visible wear
web-workshop-outcome-passed = Passed
web-workshop-outcome-failed = Failed
web-workshop-outcome-yes = Yes, passed
web-workshop-outcome-no = No, did not pass
web-workshop-check-boots = Starts up
web-workshop-check-screen = Screen
web-workshop-check-keyboard = Keyboard
web-workshop-check-touchpad = Touchpad
web-workshop-check-ports = Ports (USB, ...)
web-workshop-check-camera = Camera
web-workshop-check-wifi = Wi-Fi
web-workshop-check-charger_present = Charger included
web-workshop-check-works = Does what it is for
web-workshop-step-wipe = Wipe the storage and record the result.
web-workshop-step-wipe-step = Everything is wiped. Confirm the step.
web-workshop-step-refurbish = Check the device and give it a grade.
web-workshop-step-repair = The check failed. Repair the device and check it again.
web-workshop-step-release = Release the device for lending.
web-workshop-step-ready = Done. The device can be lent.
web-workshop-step-nothing = Nothing to do at the workshop.
web-workshop-done-wipe = The wipe is saved. The device is wiped.
web-workshop-done-wipe-failed = The wipe is saved, but not everything passed. Wipe again.
web-workshop-done-refurbish = The check is saved.
web-workshop-done-refurbish-failed = The check is saved: it did not pass.
web-workshop-done-release = The device is ready to lend.
web-workshop-done-report = The report is saved.
web-workshop-done-send_to_repair = The device is in repair.
web-workshop-done-retire = The device goes for recycling.
web-refusal-national-number = contains what looks like a Belgian national register number; it may not be stored here, remove it
