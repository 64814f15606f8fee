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
web-refusal-email-taken = is the address of another account; use your own
web-refusal-csrf = This form was not sent from this site or has expired. Open the page again and send it again.
web-refusal-sign-in = Sign in to see this page.
web-refusal-user-disabled = This user is disabled; enable them before sending a link.
web-refusal-national-number = contains what looks like a Belgian national register number; it may not be stored here, remove it
