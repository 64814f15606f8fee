### Teksten van de documenten (PDF) in het Nederlands, één bericht per regel: sleutel = tekst.
### U mag de tekst na het `=` aanpassen. Laat de woorden tussen accolades staan, zoals
### { $end_date }: het programma vult daar de juiste gegevens in. Elke sleutel moet in
### nl.ftl, fr.ftl en en.ftl staan (een test controleert dat). Lijsten zijn genummerd: -1, -2, ...

## Loan agreement

# Tekst van de bruikleenovereenkomst in het Nederlands.
#
# Gebruik eenvoudige taal: veel ontleners lezen niet vlot.
# De overeenkomst mag niet langer worden dan twee bladzijden.

agreement-document-title = Bruikleenovereenkomst
agreement-document-subtitle = Afspraken over het lenen van een toestel
agreement-document-number = Nummer { $agreement_number }
agreement-document-footer = Bruikleenovereenkomst { $agreement_number } – blad { $page } van { $pages }

agreement-parties-heading = 1. Wie maakt deze afspraken?
agreement-parties-lender = De uitlener
agreement-parties-borrower = U, de ontlener
agreement-parties-social-worker = Uw maatschappelijk werker

agreement-devices-heading = 2. Wat leent u?
agreement-devices-intro = U leent dit materiaal. Het blijft eigendom van { $lender_name }.
agreement-devices-serial = Serienummer: { $serial }
agreement-devices-no-serial = Serienummer: niet vermeld
agreement-devices-asset-tag = Inventarisnummer: { $asset_tag }
agreement-devices-value = Afgesproken waarde: { $value }
agreement-devices-accessories = Toebehoren: { $accessories }
agreement-devices-no-accessories = Toebehoren: geen

agreement-purpose-heading = 3. Waarvoor gebruikt u het?
agreement-purpose-text = U gebruikt het toestel voor: { $purpose }

agreement-period-heading = 4. Hoe lang?
agreement-period-text = U leent het toestel van { $start_date } tot en met { $end_date }.
agreement-period-checkpoints = Tussendoor komt u langs voor een controle, met het toestel en de toebehoren. We kijken dan samen of alles goed werkt en of u nog hulp nodig hebt. Dit zijn de data:
agreement-period-no-checkpoints = Er is geen controle gepland voor de einddatum.

agreement-promises-heading = 5. Wat belooft u?
agreement-promises-items-1 = U zorgt goed voor het toestel en de toebehoren, zoals voor iets van uzelf.
agreement-promises-items-2 = U gebruikt het toestel alleen voor het doel hierboven.
agreement-promises-items-3 = U leent het toestel niet uit en u geeft het niet aan iemand anders.
agreement-promises-items-4 = U verkoopt het toestel niet en u geeft het niet in pand.
agreement-promises-items-5 = U herstelt het toestel niet zelf en u laat het niet door iemand anders herstellen. Is er een probleem? Zeg het aan uw maatschappelijk werker.
agreement-promises-items-6 = U komt naar elke controle.
agreement-promises-items-7 = Bent u het toestel kwijt of is het gestolen? Meld het binnen 3 dagen aan uw maatschappelijk werker. Bij diefstal gaat u eerst naar de politie en brengt u een kopie van de aangifte mee.
agreement-promises-items-8 = U brengt alles volledig terug, ten laatste op { $end_date }.

agreement-value-heading = 6. Lenen is gratis – de afgesproken waarde
agreement-value-free = U betaalt niets om het toestel te gebruiken. Wel spreken we voor elk toestel een waarde af (zie punt 2). Samen is dat { $total_value }.
agreement-value-not-returned = Brengt u een toestel niet terug op de einddatum, ook na verlies of diefstal? Dan betaalt u de afgesproken waarde van dat toestel, tenzij de uitlener anders beslist.
agreement-value-keep = Wilt u het toestel na de bruikleen houden? Dat kan alleen in overleg met de uitlener. U betaalt dan de afgesproken waarde en het toestel wordt van u.

agreement-data-heading = 7. Uw bestanden op het toestel
agreement-data-text = Alle gegevens van vroegere gebruikers zijn veilig gewist. Als u het toestel terugbrengt, wissen wij alles wat erop staat, ook uw foto's en documenten. Maak dus zelf tijdig een kopie van wat u wilt bewaren, bijvoorbeeld op een USB-stick. Wij kunnen uw bestanden niet terughalen.

agreement-privacy-heading = 8. Uw persoonsgegevens
agreement-privacy-what = Wat bewaren we? Uw naam, uw adres als u het gaf, wat u leent, de data van de bruikleen en de controles, en deze overeenkomst. We vragen niet naar uw rijksregisternummer.
agreement-privacy-why = Waarom? Om deze overeenkomst uit te voeren: de bruikleen opvolgen en het toestel terugkrijgen. Wie het project betaalt, krijgt van ons alleen cijfers, zonder namen.
agreement-privacy-how-long = Hoe lang? Tot 2 jaar na het einde van de bruikleen. Daarna maken we uw gegevens anoniem. Moet u nog een afgesproken waarde betalen, dan bewaren we wat daarvoor nodig is tot het geregeld is.
agreement-privacy-rights = Uw rechten: u mag vragen welke gegevens we over u hebben en er een kopie van krijgen. U mag vragen om fouten te verbeteren of uw gegevens te wissen. We antwoorden binnen een maand.
agreement-privacy-contact = Vragen? Spreek { $social_worker_name } aan of neem contact op met { $lender_name }. Een klacht kunt u ook indienen bij de Gegevensbeschermingsautoriteit (www.gegevensbeschermingsautoriteit.be).

agreement-signatures-heading = 9. Handtekeningen
agreement-signatures-intro = We maken twee exemplaren. U en de uitlener krijgen er elk één.
agreement-signatures-place-date = Opgemaakt te { $place } op { $signed_on }.
agreement-signatures-borrower = De ontlener
agreement-signatures-social-worker = Voor de uitlener: de maatschappelijk werker
agreement-signatures-name = Naam: { $name }
agreement-signatures-signature = Handtekening:

agreement-purposes-job-search = werk zoeken
agreement-purposes-school = school en opleiding
agreement-purposes-administration = administratie en contact met diensten
agreement-purposes-social-contact = contact met familie en vrienden
agreement-purposes-other = persoonlijk gebruik

## Pick list and booking confirmation

# Teksten van de picklijst (voor het personeel) en de bevestiging van een reservatie
# (voor de school of organisatie), in het Nederlands.

booking-pick-list-title = Picklijst
booking-pick-list-reference = Reservatie { $booking_reference }
booking-pick-list-footer = Picklijst { $booking_reference } – blad { $page } van { $pages }
booking-pick-list-organisation = Organisatie
booking-pick-list-pickup = Afhalen op
booking-pick-list-return = Terugbrengen op
booking-pick-list-count = Aantal toestellen
booking-pick-list-col-check = OK
booking-pick-list-col-code = QR
booking-pick-list-col-asset-tag = Inventarisnr.
booking-pick-list-col-kind = Soort
booking-pick-list-col-model = Model
booking-pick-list-col-shelf = Plaats in de kast
booking-pick-list-no-shelf = –
booking-pick-list-col-accessories = Toebehoren
booking-pick-list-no-accessories = geen
booking-pick-list-picked-by = Klaargezet door:
booking-pick-list-checked-by = Gecontroleerd door:

booking-confirmation-title = Bevestiging van uw reservatie
booking-confirmation-reference = Reservatie { $booking_reference }
booking-confirmation-footer = Reservatie { $booking_reference } – blad { $page } van { $pages }
booking-confirmation-greeting = Beste { $contact_name },
booking-confirmation-intro = Wij bevestigen de reservatie van { $organisation } bij { $lender_name }. Hieronder vindt u wat u leent en wanneer.
booking-confirmation-organisation = Organisatie
booking-confirmation-contact = Contactpersoon
booking-confirmation-pickup = Afhalen
booking-confirmation-return = Terugbrengen
booking-confirmation-pickup-at = { $pickup_date } bij { $pickup_place }
booking-confirmation-purpose = Waarvoor
booking-confirmation-opening-hours = Openingsuren
booking-confirmation-return-how = Hoe terugbrengen
booking-confirmation-col-kind = Soort toestel
booking-confirmation-col-quantity = Aantal
booking-confirmation-total = Totaal
booking-confirmation-conditions-heading = Afspraken
booking-confirmation-conditions-1 = Lenen is gratis.
booking-confirmation-conditions-2 = Kom het materiaal afhalen op de afgesproken dag en breng alles volledig terug op { $return_date }.
booking-confirmation-conditions-3 = Controleer bij het afhalen samen met ons of alles er is en werkt.
booking-confirmation-conditions-4 = Zorg goed voor het materiaal en leen het niet door aan anderen. Meld schade, verlies of diefstal meteen; bij diefstal doet u aangifte bij de politie.
booking-confirmation-conditions-5 = Wij wissen alle toestellen na gebruik. Bewaar zelf wat u wilt houden en log overal uit voor u de toestellen terugbrengt.
booking-confirmation-conditions-6 = Kunt u niet komen? Laat het ons zo snel mogelijk weten, zodat iemand anders het materiaal kan gebruiken.
booking-confirmation-closing = Met vriendelijke groeten,

## Certificate of data sanitisation

# Tekst van het certificaat van gegevensverwijdering, in het Nederlands.

certificate-document-title = Certificaat van gegevensverwijdering
certificate-document-number = Certificaat nr. { $certificate_number }
certificate-document-footer = Certificaat { $certificate_number } – blad { $page } van { $pages }
certificate-document-donor = Schenker
certificate-document-workshop = Uitgevoerd door
certificate-document-issued = Datum van uitgifte
certificate-document-intro = Wij verklaren dat de gegevensdragers van de toestellen die { $donor_name } geschonken heeft, behandeld zijn zoals hieronder per drager beschreven.

certificate-columns-device = Inventarisnr. / serienr. toestel
certificate-columns-drive = Drager (type, serienr.)
certificate-columns-method = Methode / programma
certificate-columns-verification = Controle (door wie)
certificate-columns-outcome = Resultaat / bestemming
certificate-columns-date = Datum / technicus

certificate-values-unknown = onbekend
certificate-values-method = { $category }: { $technique }
certificate-values-verification-full = volledig
certificate-values-verification-sample = steekproef
certificate-values-verification-none = geen
certificate-values-verified-by = door { $name }
certificate-values-verifier-unknown = controleur niet vermeld
certificate-values-outcome-passed = geslaagd
certificate-values-outcome-failed = mislukt
certificate-values-outcome-destroyed = vernietigd
certificate-values-destination-reuse = hergebruik
certificate-values-destination-recycling = recyclage
certificate-values-anonymous-donor = Anonieme schenker

certificate-categories-clear = wissen
certificate-categories-purge = zuiveren
certificate-categories-destroy = vernietigen

certificate-techniques-overwrite = overschrijven, { $passes } keer
certificate-techniques-block-erase = wissen per blok
certificate-techniques-crypto-erase = cryptografisch wissen
certificate-techniques-firmware-secure-erase = veilig wissen via de firmware
certificate-techniques-factory-reset = fabrieksinstellingen herstellen
certificate-techniques-physical-destruction = fysieke vernietiging

certificate-drive-types-hdd = harde schijf (HDD)
certificate-drive-types-ssd = SSD
certificate-drive-types-nvme = NVMe-SSD
certificate-drive-types-emmc = ingebouwd geheugen (eMMC)
certificate-drive-types-flash = flashgeheugen
certificate-drive-types-other = andere drager

certificate-totals-heading = Totalen
certificate-totals-devices = Toestellen: { $count }
certificate-totals-drives = Gegevensdragers: { $count }
certificate-totals-passed = Geslaagd: { $count }
certificate-totals-failed = Mislukt: { $count }
certificate-totals-destroyed = Vernietigd: { $count }

certificate-statement-nist = De verwijdering volgt de richtlijnen van NIST SP 800-88 (Guidelines for Media Sanitization). Per drager staan de categorie (wissen, zuiveren of vernietigen), de techniek, het programma met zijn versie, de manier van controleren en wie controleerde, en de bestemming van het toestel na de verwijdering (hergebruik of recyclage) vermeld.
certificate-statement-failed = Dragers met het resultaat „mislukt” vallen niet onder deze verklaring: zij worden opnieuw gewist of fysiek vernietigd voor het toestel opnieuw gebruikt wordt.

certificate-signature-heading = Voor { $workshop_name }
certificate-signature-name = Naam en functie:
certificate-signature-place = Plaats:
certificate-signature-date = Datum:
certificate-signature-signature = Handtekening:

## Words shared by the documents

# Woorden die in meerdere documenten staan, in het Nederlands: soorten toestellen, soorten
# randapparaten en de naam die in plaats van een geanonimiseerde persoon staat.

kind-laptop = laptop
kind-tablet = tablet
kind-robot = robot
kind-smartphone = smartphone
kind-desktop = desktopcomputer
kind-peripheral = randapparaat

subtype-beamer = beamer
subtype-vr-headset = VR-bril
subtype-headphones = koptelefoon
subtype-charger = lader
subtype-hotspot = mobiele hotspot
subtype-webcam = webcam
subtype-mouse = muis
subtype-keyboard = toetsenbord
subtype-monitor = beeldscherm
subtype-speaker = luidspreker
subtype-printer = printer
subtype-camera = camera

person-anonymised = Geanonimiseerde ontlener

## Pagina's (web-…). Eenvoudige taal (B1): korte zinnen, gewone woorden.
web-service-name = Digilend
web-skip-link = Ga naar de inhoud
web-language-label = Taal
web-nav-label = Hoofdmenu
web-sign-out = Afmelden
web-errors-title = Er moet iets aangepast worden
web-error-prefix = Fout:
web-footer = Digilend: opgeknapte toestellen te leen, voor iedereen.
web-nav-home = Start
web-nav-workshop = Werkplaats
web-nav-people = Mensen
web-home-about-home = Je startpagina.
web-home-about-workshop = Scan toestellen, noteer wissen en herstellingen, en zie wat er wacht.
web-home-about-people = Nodig mensen uit en stuur een link voor een nieuw wachtwoord.
web-role-admin = beheerder
web-role-coordinator = coördinator
web-role-lending-staff = uitleendienst
web-role-refurbisher = werkplaats
web-role-social-worker = maatschappelijk werker
web-role-requester = school of organisatie
web-home-title = Start
web-home-heading = Hallo { $name }
web-home-role-admin = Je beheert de mensen die Digilend gebruiken. Je kunt ook het werk van alle andere rollen doen.
web-home-role-coordinator = Je volgt de cijfers van het jaar. De pagina's voor de cijfers komen binnenkort; tot dan gebruik je de API.
web-home-role-lending-staff = Je registreert schenkingen en geeft toestellen mee en neemt ze terug. Je pagina's komen binnenkort; tot dan gebruik je de API.
web-home-role-refurbisher = Je wist en herstelt toestellen in je werkplaats. Scan een label om een toestel te openen.
web-home-role-social-worker = Je leent toestellen uit aan mensen. Je pagina's komen binnenkort; tot dan gebruik je de API.
web-home-role-requester = Je reserveert toestellen voor je school of organisatie. Je pagina's komen binnenkort; tot dan gebruik je de API.
web-error-title = Fout
web-error-home = Naar de startpagina
web-error-bad-request-title = Dit lukte niet
web-error-bad-request-text = We konden de vraag niet lezen. Ga terug en probeer opnieuw.
web-error-unauthorized-title = Meld je aan
web-error-unauthorized-text = Meld je aan om deze pagina te zien.
web-error-forbidden-title = Niet toegelaten
web-error-forbidden-text = Je rol mag dit niet doen. Vraag het aan een beheerder als je het nodig hebt.
web-error-not-found-title = Pagina niet gevonden
web-error-not-found-text = We vinden deze pagina of dit gegeven niet. Kijk het adres na, of begin opnieuw op de startpagina.
web-error-conflict-title = Dit kan nu niet
web-error-conflict-text = Dit kan niet in de huidige toestand.
web-error-invalid-title = Sommige gegevens kloppen niet
web-error-invalid-text = Sommige gegevens kloppen niet:
web-error-busy-title = Even geduld
web-error-busy-text = Het is nu erg druk. Er is niets bewaard. Probeer zo meteen opnieuw.
web-error-internal-title = Er ging iets mis
web-error-internal-text = Er ging bij ons iets mis. We hebben het genoteerd. Probeer later opnieuw.
web-sign-in-title = Aanmelden
web-sign-in-intro = Meld je aan met je e-mailadres en je wachtwoord.
web-field-email = E-mailadres
web-field-password = Wachtwoord
web-field-new-password = Nieuw wachtwoord
web-sign-in-button = Aanmelden
web-sign-in-forgot = Wachtwoord vergeten? Vraag een beheerder om een nieuwe link.
web-sign-in-email-missing = Vul je e-mailadres in.
web-sign-in-password-missing = Vul je wachtwoord in.
web-sign-in-wrong = Het e-mailadres of het wachtwoord klopt niet. Kijk ze na en probeer opnieuw.
web-sign-in-wait = Te veel pogingen die niet lukten. Wacht { $seconds } seconden en probeer dan opnieuw.
web-welcome-title = Kies je wachtwoord
web-welcome-heading = Welkom, { $name }
web-welcome-intro = Kies een wachtwoord. Daarna ben je aangemeld.
web-welcome-intro-reset = Kies een nieuw wachtwoord. Je wordt dan overal anders afgemeld.
web-welcome-email-hint = Met dit adres meld je je aan.
web-welcome-password-hint = Minstens 15 tekens. Een paar woorden die je onthoudt, werken goed. Spaties mogen.
web-welcome-button = Bewaren en aanmelden
web-welcome-done = Je wachtwoord is bewaard. Je bent aangemeld.
web-welcome-unusable-title = Deze link werkt niet
web-welcome-unknown = We kennen deze link niet. Kijk na of je hem helemaal gekopieerd hebt.
web-welcome-used = Deze link is al gebruikt. Een link werkt maar één keer.
web-welcome-expired = Deze link is te oud, of er is een nieuwere link gemaakt.
web-welcome-ask-again = Vraag een beheerder om een nieuwe link.
web-people-title = Mensen
web-people-intro = Maak een link waarmee iemand een wachtwoord kiest. De link wordt één keer getoond. Stuur hem zelf door.
web-people-disabled = Uitgeschakeld
web-people-has-password = Heeft een wachtwoord
web-people-no-password = Heeft nog geen wachtwoord
web-people-invite = { $name } uitnodigen
web-people-reset = Link voor nieuw wachtwoord voor { $name }
web-people-back = Terug naar de mensen
web-link-title = Eenmalige link
web-link-heading = Uitnodiging voor { $name }
web-link-heading-reset = Link voor een nieuw wachtwoord voor { $name }
web-link-intro = Stuur deze link naar de persoon. Hij werkt één keer, tot { $expires }.
web-link-once = Deze link wordt alleen nu getoond. Raakt hij kwijt, maak dan een nieuwe.
web-refusal-password-short = is te kort: gebruik minstens 15 tekens, bijvoorbeeld een paar woorden
web-refusal-password-long = is te lang: gebruik hoogstens 128 tekens
web-refusal-password-common = is te makkelijk te raden: kies een minder gewoon wachtwoord
web-refusal-password-email = mag niet je e-mailadres zijn
web-refusal-email-invalid = is geen geldig e-mailadres
web-refusal-to-before-from = mag niet vóór de eerste dag liggen
web-refusal-email-taken = is het adres van een andere account; gebruik je eigen adres
web-refusal-csrf = Dit formulier kwam niet van deze site of is verlopen. Open de pagina opnieuw en verstuur het nog eens.
web-refusal-sign-in = Meld je aan om deze pagina te zien.
web-refusal-user-disabled = Deze gebruiker is uitgeschakeld; schakel hem eerst in en maak dan een link.

## Workshop bench: refusals and what to do next

# Why the bench refused something (one per code of src/domain/refusal.rs), and the next step.

web-workshop-refusal-action_not_allowed = Deze stap kan nu niet voor dit toestel.
web-workshop-next-action_not_allowed = Kijk bij "Wat nu?" welke stap wel kan.
web-workshop-refusal-not_on_the_bench = Dit toestel is niet in de werkplaats. U kunt nu geen wis of controle noteren.
web-workshop-next-not_on_the_bench = Vraag de uitleendienst om het toestel terug naar de werkplaats te sturen.
web-workshop-refusal-handed_out = Dit toestel is uitgeleend.
web-workshop-next-handed_out = De uitleendienst noteert eerst dat het toestel terug is.
web-workshop-refusal-through_loans_or_bookings = Deze stap gebeurt bij het uitlenen of reserveren, niet hier.
web-workshop-next-through_loans_or_bookings = Laat dit over aan de uitleendienst.
web-workshop-refusal-storage_not_wiped = Niet alle opslag is veilig gewist.
web-workshop-next-storage_not_wiped = Wis elke schijf en noteer het resultaat. Mislukte het wissen? Wis dan opnieuw.
web-workshop-refusal-wipe_first = Dit toestel bewaart gegevens. Het moet eerst gewist worden.
web-workshop-next-wipe_first = Noteer eerst een geslaagde wis.
web-workshop-refusal-refurbishment_failed = De laatste controle is niet geslaagd.
web-workshop-next-refurbishment_failed = Herstel het toestel en doe een nieuwe controle, of stuur het naar recyclage.
web-workshop-refusal-refurbishment_missing = Er is nog geen controle genoteerd sinds het wissen.
web-workshop-next-refurbishment_missing = Noteer de controle van het toestel.
web-workshop-refusal-back_from_loan = Dit toestel komt terug van een uitlening aan een persoon.
web-workshop-next-back_from_loan = Wis het toestel en doe een volledige controle voor u het vrijgeeft.
web-workshop-refusal-category_not_for_technique = Deze soort wis past niet bij deze methode.
web-workshop-next-category_not_for_technique = Kies een soort die bij de methode hoort. Overschrijven is "wissen" (clear), vernietigen is "vernietigen".
web-workshop-refusal-flash_overwrite_is_clear = Een SSD of flashgeheugen overschrijven telt alleen als gewoon wissen (clear).
web-workshop-next-flash_overwrite_is_clear = Kies "clear", of gebruik het sanitize- of crypto-erase-commando van de schijf.
web-workshop-refusal-passes_required = Overschrijven vraagt minstens één ronde.
web-workshop-next-passes_required = Vul het aantal rondes in (1 of meer).
web-workshop-refusal-ended_before_started = Het einde ligt voor het begin.
web-workshop-next-ended_before_started = Kijk het begin- en einduur na.
web-workshop-refusal-moment_out_of_range = Dit tijdstip kan niet kloppen.
web-workshop-next-moment_out_of_range = Kijk de datum en het uur na. Ze mogen niet in de toekomst liggen.
web-workshop-refusal-started_before_registration = Het wissen begon voor het toestel binnenkwam.
web-workshop-next-started_before_registration = Kijk het beginuur na.
web-workshop-refusal-verification_mismatch = Gecontroleerd en de manier van controleren passen niet samen.
web-workshop-next-verification_mismatch = Gecontroleerd? Kies steekproef of volledig. Niet gecontroleerd? Kies geen.
web-workshop-refusal-which_drive = Dit toestel heeft meer dan één schijf.
web-workshop-next-which_drive = Vul een regel in per schijf.
web-workshop-refusal-not_a_drive = Deze schijf hoort niet bij dit toestel.
web-workshop-next-not_a_drive = Open de pagina van het toestel opnieuw en kies een schijf uit de lijst.
web-workshop-refusal-drive_type_required = Zeg welk soort ingebouwde opslag het toestel heeft.
web-workshop-next-drive_type_required = Kies het type opslag (bijvoorbeeld eMMC of SSD).
web-workshop-refusal-check_required = Niet alle controles zijn ingevuld.
web-workshop-next-check_required = Vul elke controle in met "werkt" of "werkt niet".
web-workshop-refusal-pass_with_failed_check = Een controle werkt niet. Dan kan het toestel niet slagen.
web-workshop-next-pass_with_failed_check = Kies "niet geslaagd", of herstel het toestel en controleer opnieuw.
web-workshop-refusal-battery_required = De gezondheid van de batterij ontbreekt.
web-workshop-next-battery_required = Vul de batterij in als percentage (volle lading gedeeld door de oorspronkelijke capaciteit).
web-workshop-refusal-report_already_attached = Bij deze wis hoort al een rapport. Een rapport is bewijs en wordt niet vervangen.
web-workshop-next-report_already_attached = U hoeft niets te doen. Was het rapport fout? Noteer de wis opnieuw met het juiste rapport.
web-workshop-refusal-report_mismatch = Dit bestand is niet het rapport dat bij de wis genoteerd werd.
web-workshop-next-report_mismatch = Kies het rapport dat het wisprogramma voor deze schijf maakte.
web-workshop-refusal-report_unreadable = Dit bestand is leeg of geen rapport van een gekend type.
web-workshop-next-report_unreadable = Kies een PDF-, tekst-, XML- of JSON-bestand van het wisprogramma.

## Workshop bench pages

# The device page, the workshop's queue and batches, batch mode (src/web/workshop/).

web-workshop-device-title = Toestel
web-workshop-title = Werkplaats
web-workshop-serial = serienummer
web-workshop-status = Status
web-workshop-next = Wat nu?
web-workshop-wipe-title = Veilig wissen
web-workshop-field-method = Manier van wissen
web-workshop-field-drive-type = Soort opslag
web-workshop-field-outcome = Resultaat van het wissen
web-workshop-field-tool = Wisprogramma
web-workshop-field-tool-hint = Bijvoorbeeld nwipe, ShredOS of Blancco.
web-workshop-field-tool-version = Versie van het programma
web-workshop-field-passes = Aantal rondes
web-workshop-field-verification = Nagekeken
web-workshop-wipe-button = Wis opslaan
web-workshop-wipe-step-button = Gewist: volgende stap
web-workshop-refurbish-title = Controle en klasse
web-workshop-field-checks = Wat werkt?
web-workshop-field-checks-hint = Vink aan wat werkt.
web-workshop-field-battery = Batterij (%)
web-workshop-field-battery-hint = Volle lading gedeeld door de oorspronkelijke capaciteit.
web-workshop-field-grade = Uitzicht
web-workshop-field-result = Geslaagd voor de controle?
web-workshop-field-os = Geïnstalleerd systeem (niet verplicht)
web-workshop-field-minutes = Minuten werk (niet verplicht)
web-workshop-refurbish-button = Controle opslaan
web-workshop-repair-button = Naar herstelling
web-workshop-release-button = Klaar om uit te lenen
web-workshop-add-to-batch = Toevoegen aan de reeks
web-workshop-wipes-title = Wissen
web-workshop-report-download = Rapport
web-workshop-report-file = Rapport van het wisprogramma
web-workshop-report-hint = Een PDF-, tekst-, XML- of JSON-bestand, hoogstens 5 MB.
web-workshop-report-button = Rapport toevoegen
web-workshop-history-title = Geschiedenis
web-workshop-drive = Schijf
web-workshop-builtin = Ingebouwde opslag
web-workshop-choose = Maak een keuze.
web-workshop-number = Vul een getal in.
web-workshop-choose-file = Kies een bestand.
web-workshop-field-invalid = Dit is niet goed ingevuld. Kijk het na.
web-workshop-scan-link = Reeks scannen
web-workshop-queue-wipe = Wacht op wissen
web-workshop-queue-refurbish = Wacht op controle
web-workshop-queue-failed = Mislukt
web-workshop-queue-empty = Niets in deze lijst.
web-workshop-queue-oldest = Hier staan de {$n} oudste van elke lijst.
web-workshop-queue-all = Toon alle toestellen

## Figures page (coordinators)
web-nav-figures = Cijfers
web-home-about-figures = Wat het jaar opleverde: toestellen, mensen, reservaties, werkplaats, milieu. Met downloads voor Excel.
web-figures-title = Cijfers
web-figures-year = Jaar
web-figures-show = Toon de cijfers
web-figures-other-period = Een andere periode
web-figures-from = Eerste dag
web-figures-to = Laatste dag
web-figures-year-invalid = Kies een jaar uit de lijst.
web-figures-day-invalid = Vul een datum in, bijvoorbeeld 2026-01-31.
web-figures-period = Van { $from } tot en met { $to }
web-figures-frozen = vastgezet: deze cijfers veranderen niet meer
web-figures-frozen-done = Het jaar is vastgezet. Een nieuwe download geeft altijd hetzelfde bestand.
web-figures-freeze = Zet { $year } vast
web-figures-freeze-hint = Voor het verslag aan wie je financiert: de cijfers van dit afgesloten jaar worden bewaard zoals ze nu zijn. Latere verbeteringen veranderen ze niet meer.
web-figures-download-csv = Download voor Excel (CSV)
web-figures-download-xlsx = Download als werkboek (XLSX)
web-figures-none = Er zijn geen cijfers die je mag zien.
web-figures-groups = Onderdelen
web-figures-part = Deel
web-figures-value = Aantal
web-figures-per = { $name } per { $by }
web-figures-method = Berekend met { $name }, versie { $version }. Bron: { $source }
web-figures-days = { $n } dagen
web-figures-unit-kg = { $n } kg
web-figures-unit-kg_co2e = { $n } kg CO2e
web-figures-donor-anonymous = anonieme schenker
web-figures-donor-none = zonder schenking
web-figures-group-devices = Toestellen
web-figures-group-people = Mensen
web-figures-group-bookings = Reservaties
web-figures-group-workshop = Werkplaats
web-figures-group-environment = Milieu
web-figures-by-kind = soort toestel
web-figures-by-donor = schenker
web-figures-by-category = soort wissen (NIST)
web-figures-by-grade = uitzicht (A, B, C)
web-figures-by-status = toestand
web-figures-by-programme = programma
web-figures-by-office = kantoor
web-figures-by-organisation-kind = soort organisatie
web-figures-by-stage = stap in de werkplaats
web-figures-orgkind-school = school
web-figures-orgkind-non-profit = vereniging
web-figures-orgkind-city-service = stadsdienst
web-figures-orgkind-welfare-office = welzijnskantoor
web-figures-orgkind-workshop = werkplaats
web-figures-orgkind-lending-service = uitleendienst
web-figures-orgkind-donor-company = schenkend bedrijf
web-figures-registered = Toestellen binnengekomen
web-figures-wiped = Toestellen gewist
web-figures-media-wiped = Schijven gewist
web-figures-refurbished = Toestellen nagekeken en hersteld
web-figures-released = Toestellen klaar voor gebruik
web-figures-lent = Toestellen uitgeleend aan mensen
web-figures-booked-out = Toestellen meegegeven met een reservatie
web-figures-returned = Toestellen teruggekomen
web-figures-lost = Toestellen verloren
web-figures-sold = Toestellen gekocht door de lener
web-figures-retired = Toestellen naar recyclage
web-figures-found = Verloren toestellen teruggevonden
web-figures-stock-at-end = Toestellen op de laatste dag
web-figures-people-reached = Mensen bereikt
web-figures-borrower-records = Fiches van leners
web-figures-possible-duplicates = Mogelijk dubbele fiches (één keer geteld)
web-figures-loans-signed = Leningen getekend
web-figures-devices-lent = Toestellen in getekende leningen
web-figures-loans-active-at-end = Leningen lopend op de laatste dag
web-figures-checkpoints-on-time = Check-ups op tijd
web-figures-checkpoints-late = Check-ups te laat
web-figures-charges-raised-eur = Aangerekend
web-figures-charges-paid-eur = Betaald
web-figures-charges-waived-eur = Kwijtgescholden
web-figures-requested = Reservaties gevraagd
web-figures-confirmed = Reservaties bevestigd
web-figures-refused = Reservaties niet bediend
web-figures-cancelled = Reservaties geannuleerd
web-figures-devices-booked-out = Toestellen meegegeven
web-figures-organisations-served = Organisaties bediend
web-figures-quantity-requested = Toestellen gevraagd
web-figures-quantity-served = Toestellen meegegeven voor die reservaties
web-figures-share-served = Deel van de vraag bediend
web-figures-stage-exits = Toestellen door elke stap
web-figures-stage-days-median = Tijd in de stap (mediaan)
web-figures-stage-days-p90 = Tijd in de stap (9 op 10 sneller)
web-figures-wipes-failed = Wissen mislukt
web-figures-refurbishments-failed = Nakijken mislukt
web-figures-devices-reused = Toestellen hergebruikt
web-figures-co2e-avoided-kg = Uitstoot vermeden
web-figures-co2e-avoided-kg-low = Uitstoot vermeden (laag)
web-figures-co2e-avoided-kg-high = Uitstoot vermeden (hoog)
web-figures-ewaste-avoided-kg = Elektronisch afval vermeden
web-figures-devices-not-estimated = Hergebruikt, zonder schatting

web-workshop-since = sinds
web-workshop-batches-title = Schenkingen
web-workshop-batches-empty = Nog geen schenkingen voor deze werkplaats.
web-workshop-certificate = Attest van wissen (PDF)
web-workshop-certificate-later = Het attest komt als alle toestellen gewist zijn.
web-workshop-batch-anonymous = Anonieme schenker
web-workshop-batch-wiped = { $n } van { $m } gewist
web-workshop-batch-refurbished = { $n } gecontroleerd, { $r } klaar
web-workshop-scan-title = Reeks scannen
web-workshop-scan-intro = Scan toestellen na elkaar. Elk toestel krijgt hetzelfde resultaat.
web-workshop-scan-field = Label of code
web-workshop-scan-field-hint = Scan het label, of typ de code (bijvoorbeeld GNT-000123) en druk op Enter.
web-workshop-scan-button = Toepassen
web-workshop-scan-settings = Wat toepassen?
web-workshop-scan-mode = Stap voor elk toestel
web-workshop-scan-refurbish-hint = Alle controles tellen als geslaagd.
web-workshop-scan-list = Gescand ({ $n } gelukt)
web-workshop-scan-empty = Nog niets gescand.
web-workshop-scan-clear = Lijst leegmaken
web-workshop-back = Terug naar de werkplaats
web-workshop-scan-not-found = Dit toestel bestaat niet of u mag het niet zien. Kijk de code na.
web-workshop-scan-invalid = Dit kan niet met deze instellingen. Kijk bij "Wat toepassen?".
web-workshop-scan-mode-wipe = Wissen (en stap gewist)
web-workshop-scan-mode-refurbish = Controle (en stap gecontroleerd)
web-workshop-scan-mode-release = Klaar om uit te lenen
web-workshop-scan-done-wipe = Gewist.
web-workshop-scan-done-refurbish = Gecontroleerd.
web-workshop-scan-done-release = Klaar om uit te lenen.
web-workshop-status-received = Binnengekomen
web-workshop-status-wiped = Gewist
web-workshop-status-refurbished = Gecontroleerd
web-workshop-status-ready = Klaar om uit te lenen
web-workshop-status-on_loan = Uitgeleend
web-workshop-status-booked_out = Gereserveerd en mee
web-workshop-status-returned = Teruggebracht
web-workshop-status-in_repair = In herstelling
web-workshop-status-retired = Gerecycleerd
web-workshop-status-lost = Verloren
web-workshop-status-sold = Verkocht
web-workshop-event-wipe = Gewist
web-workshop-event-refurbish = Gecontroleerd
web-workshop-event-release = Vrijgegeven
web-workshop-event-lend = Uitgeleend
web-workshop-event-book_out = Mee voor een reservatie
web-workshop-event-check_in = Teruggebracht
web-workshop-event-send_to_repair = Naar herstelling
web-workshop-event-retire = Gerecycleerd
web-workshop-event-mark_lost = Verloren gemeld
web-workshop-event-sell = Verkocht
web-workshop-event-found = Teruggevonden
web-workshop-event-registered = Binnengekomen
web-workshop-event-edited = Gegevens aangepast
web-workshop-event-assigned = Aan de werkplaats gegeven
web-workshop-event-drive_added = Schijf toegevoegd
web-workshop-event-wipe_recorded = Wis genoteerd
web-workshop-event-refurbishment_recorded = Controle genoteerd
web-workshop-method-clear-overwrite = Overschrijven (clear)
web-workshop-method-purge-overwrite = Overschrijven van een harde schijf (purge)
web-workshop-method-purge-block_erase = Block erase van de schijf (purge)
web-workshop-method-purge-crypto_erase = Crypto-erase van de schijf (purge)
web-workshop-method-purge-firmware_secure_erase = Secure erase van de schijf (purge)
web-workshop-method-clear-factory_reset = Fabrieksinstellingen, zonder versleuteling (clear)
web-workshop-method-purge-factory_reset = Fabrieksinstellingen met versleuteling (purge)
web-workshop-method-destroy-physical_destruction = Vernietigd (destroy)
web-workshop-verification-none = Nee
web-workshop-verification-sample = Ja, steekproef
web-workshop-verification-full = Ja, volledig
web-workshop-drive-hdd = Harde schijf (HDD)
web-workshop-drive-ssd = SSD
web-workshop-drive-nvme = NVMe-SSD
web-workshop-drive-emmc = eMMC
web-workshop-drive-flash = Flashgeheugen
web-workshop-drive-other = Iets anders
web-workshop-grade-A = A: zoals nieuw
web-workshop-grade-B = B: licht gebruikt
web-workshop-grade-C = C: zichtbaar gebruikt
web-workshop-outcome-passed = Gelukt
web-workshop-outcome-failed = Mislukt
web-workshop-outcome-yes = Ja, geslaagd
web-workshop-outcome-no = Nee, niet geslaagd
web-workshop-check-boots = Start op
web-workshop-check-screen = Scherm
web-workshop-check-keyboard = Toetsenbord
web-workshop-check-touchpad = Touchpad
web-workshop-check-ports = Poorten (USB, ...)
web-workshop-check-camera = Camera
web-workshop-check-wifi = Wifi
web-workshop-check-charger_present = Lader erbij
web-workshop-check-works = Doet wat het moet doen
web-workshop-step-wipe = Wis de opslag en noteer het resultaat.
web-workshop-step-wipe-step = Alles is gewist. Bevestig de stap.
web-workshop-step-refurbish = Controleer het toestel en geef een klasse.
web-workshop-step-repair = De controle is mislukt. Herstel het toestel en controleer opnieuw.
web-workshop-step-release = Geef het toestel vrij om uit te lenen.
web-workshop-step-ready = Klaar. Het toestel kan uitgeleend worden.
web-workshop-step-nothing = Niets te doen in de werkplaats.
web-workshop-done-wipe = De wis is opgeslagen. Het toestel is gewist.
web-workshop-done-wipe-failed = De wis is opgeslagen, maar niet alles is gelukt. Wis opnieuw.
web-workshop-done-refurbish = De controle is opgeslagen.
web-workshop-done-refurbish-failed = De controle is opgeslagen: niet geslaagd.
web-workshop-done-release = Het toestel is klaar om uit te lenen.
web-workshop-done-report = Het rapport is opgeslagen.
web-workshop-done-send_to_repair = Het toestel is in herstelling.
web-workshop-done-retire = Het toestel gaat naar recyclage.
web-refusal-national-number = lijkt een rijksregisternummer te bevatten; dat mag hier niet bewaard worden, haal het weg
