### Textes des documents (PDF) en français, un message par ligne : clé = texte.
### Vous pouvez modifier le texte après le « = ». Ne touchez pas aux mots entre accolades,
### comme { $end_date } : le programme les remplace par les bonnes données. Chaque clé doit
### exister dans nl.ftl, fr.ftl et en.ftl (un test le vérifie). Les listes sont numérotées : -1, -2, ...

## Loan agreement

# Texte de la convention de prêt à usage, en français.
#
# Écrivez simplement : beaucoup d'emprunteurs lisent difficilement.
# La convention ne peut pas dépasser deux pages.

agreement-document-title = Convention de prêt à usage
agreement-document-subtitle = Nos accords pour le prêt d'un appareil
agreement-document-number = Numéro { $agreement_number }
agreement-document-footer = Convention de prêt { $agreement_number } – page { $page } sur { $pages }

agreement-parties-heading = 1. Qui conclut cet accord ?
agreement-parties-lender = Le prêteur
agreement-parties-borrower = Vous, l'emprunteur
agreement-parties-social-worker = Votre assistant social

agreement-devices-heading = 2. Que vous prête-t-on ?
agreement-devices-intro = Nous vous prêtons ce matériel. Il reste la propriété de { $lender_name }.
agreement-devices-serial = Numéro de série : { $serial }
agreement-devices-no-serial = Numéro de série : non indiqué
agreement-devices-asset-tag = Numéro d'inventaire : { $asset_tag }
agreement-devices-value = Valeur convenue : { $value }
agreement-devices-accessories = Accessoires : { $accessories }
agreement-devices-no-accessories = Accessoires : aucun

agreement-purpose-heading = 3. Pour quoi l'utilisez-vous ?
agreement-purpose-text = Vous utilisez l'appareil pour : { $purpose }

agreement-period-heading = 4. Pour combien de temps ?
agreement-period-text = Le prêt va du { $start_date } au { $end_date } inclus.
agreement-period-checkpoints = Entre-temps, vous venez à un contrôle avec l'appareil et ses accessoires. Nous regardons ensemble si tout fonctionne et si vous avez besoin d'aide. Voici les dates :
agreement-period-no-checkpoints = Aucun contrôle n'est prévu avant la date de fin.

agreement-promises-heading = 5. Que promettez-vous ?
agreement-promises-items-1 = Vous prenez soin de l'appareil et des accessoires, comme s'ils étaient à vous.
agreement-promises-items-2 = Vous utilisez l'appareil uniquement pour le but indiqué ci-dessus.
agreement-promises-items-3 = Vous ne prêtez pas l'appareil et vous ne le donnez à personne.
agreement-promises-items-4 = Vous ne vendez pas l'appareil et vous ne le mettez pas en gage.
agreement-promises-items-5 = Vous ne réparez pas l'appareil vous-même et vous ne le faites pas réparer par quelqu'un d'autre. Un problème ? Parlez-en à votre assistant social.
agreement-promises-items-6 = Vous venez à chaque contrôle.
agreement-promises-items-7 = Vous avez perdu l'appareil ou on vous l'a volé ? Prévenez votre assistant social dans les 3 jours. En cas de vol, allez d'abord à la police et apportez une copie de la plainte.
agreement-promises-items-8 = Vous rendez tout, complet, au plus tard le { $end_date }.

agreement-value-heading = 6. Le prêt est gratuit – la valeur convenue
agreement-value-free = Vous ne payez rien pour utiliser l'appareil. Nous convenons toutefois d'une valeur pour chaque appareil (voir le point 2). Ensemble, cela fait { $total_value }.
agreement-value-not-returned = Si vous ne rendez pas un appareil à la date de fin, même après une perte ou un vol, vous payez la valeur convenue de cet appareil, sauf si le prêteur en décide autrement.
agreement-value-keep = Vous voulez garder l'appareil après le prêt ? C'est possible uniquement en accord avec le prêteur. Vous payez alors la valeur convenue et l'appareil devient le vôtre.

agreement-data-heading = 7. Vos fichiers sur l'appareil
agreement-data-text = Toutes les données des utilisateurs précédents ont été effacées de façon sûre. Quand vous rendez l'appareil, nous effaçons tout ce qu'il contient, y compris vos photos et vos documents. Faites donc à temps une copie de ce que vous voulez garder, par exemple sur une clé USB. Nous ne pouvons pas récupérer vos fichiers.

agreement-privacy-heading = 8. Vos données personnelles
agreement-privacy-what = Que gardons-nous ? Votre nom, votre adresse si vous l'avez donnée, ce que vous empruntez, les dates du prêt et des contrôles, et cette convention. Nous ne demandons pas votre numéro de registre national.
agreement-privacy-why = Pourquoi ? Pour exécuter cette convention : suivre le prêt et récupérer l'appareil. Ceux qui financent le projet reçoivent seulement des chiffres, sans noms.
agreement-privacy-how-long = Combien de temps ? Jusqu'à 2 ans après la fin du prêt. Ensuite, nous rendons vos données anonymes. Si vous devez encore payer une valeur convenue, nous gardons ce qui est nécessaire jusqu'à ce que ce soit réglé.
agreement-privacy-rights = Vos droits : vous pouvez demander quelles données nous avons sur vous et en recevoir une copie. Vous pouvez demander de corriger une erreur ou d'effacer vos données. Nous répondons dans un délai d'un mois.
agreement-privacy-contact = Des questions ? Adressez-vous à { $social_worker_name } ou contactez { $lender_name }. Vous pouvez aussi porter plainte auprès de l'Autorité de protection des données (www.autoriteprotectiondonnees.be).

agreement-signatures-heading = 9. Signatures
agreement-signatures-intro = Nous faisons deux exemplaires. Vous et le prêteur en recevez chacun un.
agreement-signatures-place-date = Fait à { $place } le { $signed_on }.
agreement-signatures-borrower = L'emprunteur
agreement-signatures-social-worker = Pour le prêteur : l'assistant social
agreement-signatures-name = Nom : { $name }
agreement-signatures-signature = Signature :

agreement-purposes-job-search = recherche d'emploi
agreement-purposes-school = école et formation
agreement-purposes-administration = démarches administratives
agreement-purposes-social-contact = contact avec la famille et les amis
agreement-purposes-other = usage personnel

## Pick list and booking confirmation

# Textes de la liste de préparation (pour le personnel) et de la confirmation de
# réservation (pour l'école ou l'organisation), en français.

booking-pick-list-title = Liste de préparation
booking-pick-list-reference = Réservation { $booking_reference }
booking-pick-list-footer = Liste de préparation { $booking_reference } – page { $page } sur { $pages }
booking-pick-list-organisation = Organisation
booking-pick-list-pickup = Enlèvement le
booking-pick-list-return = Retour le
booking-pick-list-count = Nombre d'appareils
booking-pick-list-col-check = OK
booking-pick-list-col-code = QR
booking-pick-list-col-asset-tag = N° d'inventaire
booking-pick-list-col-kind = Type
booking-pick-list-col-model = Modèle
booking-pick-list-col-shelf = Emplacement
booking-pick-list-no-shelf = –
booking-pick-list-col-accessories = Accessoires
booking-pick-list-no-accessories = aucun
booking-pick-list-picked-by = Préparé par :
booking-pick-list-checked-by = Vérifié par :

booking-confirmation-title = Confirmation de votre réservation
booking-confirmation-reference = Réservation { $booking_reference }
booking-confirmation-footer = Réservation { $booking_reference } – page { $page } sur { $pages }
booking-confirmation-greeting = Bonjour { $contact_name },
booking-confirmation-intro = Nous confirmons la réservation de { $organisation } auprès de { $lender_name }. Vous trouverez ci-dessous ce que vous empruntez et quand.
booking-confirmation-organisation = Organisation
booking-confirmation-contact = Personne de contact
booking-confirmation-pickup = Enlèvement
booking-confirmation-return = Retour
booking-confirmation-pickup-at = { $pickup_date } chez { $pickup_place }
booking-confirmation-purpose = Pour
booking-confirmation-opening-hours = Heures d'ouverture
booking-confirmation-return-how = Comment rendre
booking-confirmation-col-kind = Type d'appareil
booking-confirmation-col-quantity = Nombre
booking-confirmation-total = Total
booking-confirmation-conditions-heading = Nos accords
booking-confirmation-conditions-1 = Le prêt est gratuit.
booking-confirmation-conditions-2 = Venez chercher le matériel le jour convenu et rendez tout, complet, le { $return_date }.
booking-confirmation-conditions-3 = À l'enlèvement, vérifiez avec nous que tout est présent et fonctionne.
booking-confirmation-conditions-4 = Prenez soin du matériel et ne le prêtez pas à d'autres. Signalez tout de suite un dégât, une perte ou un vol ; en cas de vol, portez plainte à la police.
booking-confirmation-conditions-5 = Nous effaçons tous les appareils après usage. Gardez vous-même ce que vous voulez conserver et déconnectez-vous de tous vos comptes avant de rendre les appareils.
booking-confirmation-conditions-6 = Vous ne pouvez pas venir ? Prévenez-nous au plus vite, pour que quelqu'un d'autre puisse utiliser le matériel.
booking-confirmation-closing = Avec nos meilleures salutations,

## Certificate of data sanitisation

# Texte du certificat d'effacement des données, en français.

certificate-document-title = Certificat d'effacement des données
certificate-document-number = Certificat n° { $certificate_number }
certificate-document-footer = Certificat { $certificate_number } – page { $page } sur { $pages }
certificate-document-donor = Donateur
certificate-document-workshop = Effectué par
certificate-document-issued = Date d'émission
certificate-document-intro = Nous certifions que les supports de données des appareils donnés par { $donor_name } ont été traités comme décrit ci-dessous, support par support.

certificate-columns-device = N° d'inventaire / n° de série
certificate-columns-drive = Support (type, n° de série)
certificate-columns-method = Méthode / logiciel
certificate-columns-verification = Vérification (par qui)
certificate-columns-outcome = Résultat / destination
certificate-columns-date = Date / technicien

certificate-values-unknown = inconnu
certificate-values-method = { $category } : { $technique }
certificate-values-verification-full = complète
certificate-values-verification-sample = par échantillon
certificate-values-verification-none = aucune
certificate-values-verified-by = par { $name }
certificate-values-verifier-unknown = contrôleur non mentionné
certificate-values-outcome-passed = réussi
certificate-values-outcome-failed = échoué
certificate-values-outcome-destroyed = détruit
certificate-values-destination-reuse = réemploi
certificate-values-destination-recycling = recyclage
certificate-values-anonymous-donor = Donateur anonyme

certificate-categories-clear = effacement
certificate-categories-purge = purge
certificate-categories-destroy = destruction

certificate-techniques-overwrite = réécriture, { $passes } passage(s)
certificate-techniques-block-erase = effacement par blocs
certificate-techniques-crypto-erase = effacement cryptographique
certificate-techniques-firmware-secure-erase = effacement sécurisé par le micrologiciel
certificate-techniques-factory-reset = réinitialisation d'usine
certificate-techniques-physical-destruction = destruction physique

certificate-drive-types-hdd = disque dur (HDD)
certificate-drive-types-ssd = SSD
certificate-drive-types-nvme = SSD NVMe
certificate-drive-types-emmc = mémoire intégrée (eMMC)
certificate-drive-types-flash = mémoire flash
certificate-drive-types-other = autre support

certificate-totals-heading = Totaux
certificate-totals-devices = Appareils : { $count }
certificate-totals-drives = Supports de données : { $count }
certificate-totals-passed = Réussis : { $count }
certificate-totals-failed = Échecs : { $count }
certificate-totals-destroyed = Détruits : { $count }

certificate-statement-nist = L'effacement suit les lignes directrices NIST SP 800-88 (Guidelines for Media Sanitization). Pour chaque support sont indiqués la catégorie (effacement, purge ou destruction), la technique, le logiciel et sa version, la vérification et la personne qui l'a faite, ainsi que la destination de l'appareil après l'effacement (réemploi ou recyclage).
certificate-statement-failed = Les supports dont le résultat est « échoué » ne sont pas couverts par ce certificat : ils sont effacés à nouveau ou détruits physiquement avant toute réutilisation de l'appareil.

certificate-signature-heading = Pour { $workshop_name }
certificate-signature-name = Nom et fonction :
certificate-signature-place = Lieu :
certificate-signature-date = Date :
certificate-signature-signature = Signature :

## Words shared by the documents

# Mots qui figurent dans plusieurs documents, en français : types d'appareils, types de
# périphériques et le nom imprimé à la place d'une personne anonymisée.

kind-laptop = ordinateur portable
kind-tablet = tablette
kind-robot = robot
kind-smartphone = smartphone
kind-desktop = ordinateur fixe
kind-peripheral = périphérique

subtype-beamer = projecteur
subtype-vr-headset = casque de réalité virtuelle
subtype-headphones = casque audio
subtype-charger = chargeur
subtype-hotspot = point d'accès mobile
subtype-webcam = webcam
subtype-mouse = souris
subtype-keyboard = clavier
subtype-monitor = écran
subtype-speaker = haut-parleur
subtype-printer = imprimante
subtype-camera = appareil photo

person-anonymised = Emprunteur anonymisé

## Pages (web-…). Langage simple (B1) : phrases courtes, mots de tous les jours.
web-service-name = Digilend
web-skip-link = Aller au contenu
web-language-label = Langue
web-nav-label = Menu principal
web-sign-out = Se déconnecter
web-errors-title = Il faut corriger quelque chose
web-error-prefix = Erreur :
web-footer = Digilend : des appareils reconditionnés en prêt, pour tout le monde.
web-nav-home = Accueil
web-nav-workshop = Atelier
web-nav-people = Personnes
web-home-about-home = Votre page d'accueil.
web-home-about-workshop = Scannez des appareils, notez les effacements et les réparations, et voyez ce qui attend.
web-home-about-people = Invitez des personnes et envoyez un lien pour un nouveau mot de passe.
web-role-admin = administrateur
web-role-coordinator = coordinateur
web-role-lending-staff = service de prêt
web-role-refurbisher = atelier
web-role-social-worker = travailleur social
web-role-requester = école ou organisation
web-home-title = Accueil
web-home-heading = Bonjour { $name }
web-home-role-admin = Vous gérez les personnes qui utilisent Digilend. Vous pouvez aussi faire le travail de tous les autres rôles.
web-home-role-coordinator = Vous suivez les chiffres de l'année. Les pages des chiffres arrivent bientôt ; d'ici là, utilisez l'API.
web-home-role-lending-staff = Vous enregistrez les dons, vous remettez et reprenez les appareils. Vos pages arrivent bientôt ; d'ici là, utilisez l'API.
web-home-role-refurbisher = Vous effacez et réparez les appareils dans votre atelier. Scannez une étiquette pour ouvrir un appareil.
web-home-role-social-worker = Vous prêtez des appareils à des personnes. Vos pages arrivent bientôt ; d'ici là, utilisez l'API.
web-home-role-requester = Vous réservez des appareils pour votre école ou votre organisation. Vos pages arrivent bientôt ; d'ici là, utilisez l'API.
web-error-title = Erreur
web-error-home = Aller à la page d'accueil
web-error-bad-request-title = Cela n'a pas marché
web-error-bad-request-text = La demande n'a pas pu être lue. Revenez en arrière et réessayez.
web-error-unauthorized-title = Connectez-vous
web-error-unauthorized-text = Connectez-vous pour voir cette page.
web-error-forbidden-title = Pas autorisé
web-error-forbidden-text = Votre rôle ne permet pas de faire ceci. Demandez à un administrateur si vous en avez besoin.
web-error-not-found-title = Page introuvable
web-error-not-found-text = Nous ne trouvons pas cette page ou cet élément. Vérifiez l'adresse, ou recommencez depuis la page d'accueil.
web-error-conflict-title = Ce n'est pas possible maintenant
web-error-conflict-text = Ce n'est pas possible dans l'état actuel.
web-error-invalid-title = Certaines données ne sont pas correctes
web-error-invalid-text = Certaines données ne sont pas correctes :
web-error-busy-title = Un instant, s'il vous plaît
web-error-busy-text = Il y a beaucoup de monde en ce moment. Rien n'a été enregistré. Réessayez dans un instant.
web-error-internal-title = Un problème est survenu
web-error-internal-text = Un problème est survenu chez nous. Nous l'avons noté. Réessayez plus tard.
web-sign-in-title = Se connecter
web-sign-in-intro = Connectez-vous avec votre adresse e-mail et votre mot de passe.
web-field-email = Adresse e-mail
web-field-password = Mot de passe
web-field-new-password = Nouveau mot de passe
web-sign-in-button = Se connecter
web-sign-in-forgot = Mot de passe oublié ? Demandez un nouveau lien à un administrateur.
web-sign-in-email-missing = Indiquez votre adresse e-mail.
web-sign-in-password-missing = Indiquez votre mot de passe.
web-sign-in-wrong = L'adresse e-mail ou le mot de passe n'est pas correct. Vérifiez-les et réessayez.
web-sign-in-wait = Trop d'essais qui n'ont pas marché. Attendez { $seconds } secondes, puis réessayez.
web-welcome-title = Choisissez votre mot de passe
web-welcome-heading = Bienvenue, { $name }
web-welcome-intro = Choisissez un mot de passe. Ensuite, vous êtes connecté.
web-welcome-intro-reset = Choisissez un nouveau mot de passe. Vous êtes alors déconnecté partout ailleurs.
web-welcome-email-hint = Vous vous connectez avec cette adresse.
web-welcome-password-hint = Au moins 15 caractères. Quelques mots dont vous vous souvenez, c'est très bien. Les espaces sont permis.
web-welcome-button = Enregistrer et se connecter
web-welcome-done = Votre mot de passe est enregistré. Vous êtes connecté.
web-welcome-unusable-title = Ce lien ne marche pas
web-welcome-unknown = Nous ne connaissons pas ce lien. Vérifiez que vous l'avez copié en entier.
web-welcome-used = Ce lien a déjà servi. Un lien ne marche qu'une fois.
web-welcome-expired = Ce lien est trop ancien, ou un lien plus récent a été créé.
web-welcome-ask-again = Demandez un nouveau lien à un administrateur.
web-people-title = Personnes
web-people-intro = Créez un lien pour qu'une personne choisisse un mot de passe. Le lien n'est montré qu'une fois. Envoyez-le vous-même.
web-people-disabled = Désactivé
web-people-has-password = A un mot de passe
web-people-no-password = N'a pas encore de mot de passe
web-people-invite = Inviter { $name }
web-people-reset = Lien de nouveau mot de passe pour { $name }
web-people-back = Retour aux personnes
web-link-title = Lien à usage unique
web-link-heading = Invitation pour { $name }
web-link-heading-reset = Lien de nouveau mot de passe pour { $name }
web-link-intro = Envoyez ce lien à la personne. Il marche une fois, jusqu'au { $expires }.
web-link-once = Ce lien n'est montré que maintenant. S'il se perd, créez-en un nouveau.
web-refusal-password-short = est trop court : utilisez au moins 15 caractères, par exemple quelques mots
web-refusal-password-long = est trop long : utilisez au plus 128 caractères
web-refusal-password-common = est trop facile à deviner : choisissez un mot de passe moins courant
web-refusal-password-email = ne doit pas être votre adresse e-mail
web-refusal-email-invalid = n'est pas une adresse e-mail valable
web-refusal-to-before-from = ne peut pas être avant le premier jour
web-refusal-email-taken = est l'adresse d'un autre compte ; utilisez la vôtre
web-refusal-csrf = Ce formulaire ne vient pas de ce site ou a expiré. Ouvrez la page à nouveau et renvoyez-le.
web-refusal-sign-in = Connectez-vous pour voir cette page.
web-refusal-user-disabled = Cet utilisateur est désactivé ; activez-le avant d'envoyer un lien.

## Workshop bench: refusals and what to do next

# Why the bench refused something (one per code of src/domain/refusal.rs), and the next step.

web-workshop-refusal-action_not_allowed = Cette étape n'est pas possible maintenant pour cet appareil.
web-workshop-next-action_not_allowed = Regardez sous « Et maintenant ? » quelle étape est possible.
web-workshop-refusal-not_on_the_bench = Cet appareil n'est pas à l'atelier. Vous ne pouvez pas noter d'effacement ni de contrôle.
web-workshop-next-not_on_the_bench = Demandez au service de prêt de renvoyer l'appareil à l'atelier.
web-workshop-refusal-handed_out = Cet appareil est prêté.
web-workshop-next-handed_out = Le service de prêt doit d'abord noter son retour.
web-workshop-refusal-through_loans_or_bookings = Cette étape se fait lors du prêt ou de la réservation, pas ici.
web-workshop-next-through_loans_or_bookings = Laissez cela au service de prêt.
web-workshop-refusal-storage_not_wiped = Tout le stockage n'est pas encore effacé de façon sûre.
web-workshop-next-storage_not_wiped = Effacez chaque disque et notez le résultat. L'effacement a échoué ? Effacez à nouveau.
web-workshop-refusal-wipe_first = Cet appareil garde des données. Il faut d'abord l'effacer.
web-workshop-next-wipe_first = Notez d'abord un effacement réussi.
web-workshop-refusal-refurbishment_failed = Le dernier contrôle n'a pas réussi.
web-workshop-next-refurbishment_failed = Réparez l'appareil et refaites un contrôle, ou envoyez-le au recyclage.
web-workshop-refusal-refurbishment_missing = Aucun contrôle n'est noté depuis l'effacement.
web-workshop-next-refurbishment_missing = Notez le contrôle de l'appareil.
web-workshop-refusal-back_from_loan = Cet appareil revient d'un prêt à une personne.
web-workshop-next-back_from_loan = Effacez l'appareil et faites un contrôle complet avant de le libérer.
web-workshop-refusal-category_not_for_technique = Ce type d'effacement ne va pas avec cette méthode.
web-workshop-next-category_not_for_technique = Choisissez un type qui va avec la méthode. Écraser, c'est « effacer » (clear) ; détruire, c'est « détruire ».
web-workshop-refusal-flash_overwrite_is_clear = Écraser un SSD ou une mémoire flash ne compte que comme un effacement simple (clear).
web-workshop-next-flash_overwrite_is_clear = Choisissez « clear », ou utilisez la commande sanitize ou crypto-erase du disque.
web-workshop-refusal-passes_required = Écraser demande au moins un passage.
web-workshop-next-passes_required = Indiquez le nombre de passages (1 ou plus).
web-workshop-refusal-ended_before_started = La fin est avant le début.
web-workshop-next-ended_before_started = Vérifiez l'heure de début et de fin.
web-workshop-refusal-moment_out_of_range = Ce moment ne peut pas être juste.
web-workshop-next-moment_out_of_range = Vérifiez la date et l'heure. Elles ne peuvent pas être dans le futur.
web-workshop-refusal-started_before_registration = L'effacement a commencé avant l'arrivée de l'appareil.
web-workshop-next-started_before_registration = Vérifiez l'heure de début.
web-workshop-refusal-verification_mismatch = « Vérifié » et la façon de vérifier ne vont pas ensemble.
web-workshop-next-verification_mismatch = Vérifié ? Choisissez par échantillon ou complet. Pas vérifié ? Choisissez aucune.
web-workshop-refusal-which_drive = Cet appareil a plus d'un disque.
web-workshop-next-which_drive = Remplissez une ligne par disque.
web-workshop-refusal-not_a_drive = Ce disque n'appartient pas à cet appareil.
web-workshop-next-not_a_drive = Rouvrez la page de l'appareil et choisissez un disque de la liste.
web-workshop-refusal-drive_type_required = Dites quel type de stockage intégré l'appareil a.
web-workshop-next-drive_type_required = Choisissez le type de stockage (par exemple eMMC ou SSD).
web-workshop-refusal-check_required = Tous les contrôles ne sont pas remplis.
web-workshop-next-check_required = Remplissez chaque contrôle avec « fonctionne » ou « ne fonctionne pas ».
web-workshop-refusal-pass_with_failed_check = Un contrôle ne fonctionne pas. L'appareil ne peut donc pas réussir.
web-workshop-next-pass_with_failed_check = Choisissez « pas réussi », ou réparez l'appareil et contrôlez à nouveau.
web-workshop-refusal-battery_required = L'état de la batterie manque.
web-workshop-next-battery_required = Indiquez la batterie en pour cent (charge complète divisée par la capacité d'origine).
web-workshop-refusal-report_already_attached = Cet effacement a déjà son rapport. Un rapport est une preuve et n'est pas remplacé.
web-workshop-next-report_already_attached = Vous n'avez rien à faire. Le rapport était faux ? Notez l'effacement à nouveau avec le bon rapport.
web-workshop-refusal-report_mismatch = Ce fichier n'est pas le rapport noté avec l'effacement.
web-workshop-next-report_mismatch = Choisissez le rapport que le programme d'effacement a fait pour ce disque.
web-workshop-refusal-report_unreadable = Ce fichier est vide ou n'est pas un rapport d'un type connu.
web-workshop-next-report_unreadable = Choisissez un fichier PDF, texte, XML ou JSON du programme d'effacement.

## Workshop bench pages

# The device page, the workshop's queue and batches, batch mode (src/web/workshop/).

web-workshop-device-title = Appareil
web-workshop-title = Atelier
web-workshop-serial = numéro de série
web-workshop-status = Statut
web-workshop-next = Et maintenant ?
web-workshop-wipe-title = Effacer de façon sûre
web-workshop-field-method = Méthode d'effacement
web-workshop-field-drive-type = Type de stockage
web-workshop-field-outcome = Résultat de l'effacement
web-workshop-field-tool = Programme d'effacement
web-workshop-field-tool-hint = Par exemple nwipe, ShredOS ou Blancco.
web-workshop-field-tool-version = Version du programme
web-workshop-field-passes = Nombre de passages
web-workshop-field-verification = Vérifié
web-workshop-wipe-button = Enregistrer l'effacement
web-workshop-wipe-step-button = Effacé : étape suivante
web-workshop-refurbish-title = Contrôle et classe
web-workshop-field-checks = Qu'est-ce qui fonctionne ?
web-workshop-field-checks-hint = Cochez ce qui fonctionne.
web-workshop-field-battery = Batterie (%)
web-workshop-field-battery-hint = Charge complète divisée par la capacité d'origine.
web-workshop-field-grade = Aspect
web-workshop-field-result = Contrôle réussi ?
web-workshop-field-os = Système installé (facultatif)
web-workshop-field-minutes = Minutes de travail (facultatif)
web-workshop-refurbish-button = Enregistrer le contrôle
web-workshop-repair-button = Envoyer en réparation
web-workshop-release-button = Prêt à prêter
web-workshop-add-to-batch = Ajouter à la série
web-workshop-wipes-title = Effacements
web-workshop-report-download = Rapport
web-workshop-report-file = Rapport du programme d'effacement
web-workshop-report-hint = Un fichier PDF, texte, XML ou JSON, 5 Mo au plus.
web-workshop-report-button = Ajouter le rapport
web-workshop-history-title = Historique
web-workshop-drive = Disque
web-workshop-builtin = Stockage intégré
web-workshop-choose = Faites un choix.
web-workshop-number = Indiquez un nombre.
web-workshop-choose-file = Choisissez un fichier.
web-workshop-field-invalid = Ce n'est pas bien rempli. Vérifiez.
web-workshop-scan-link = Scanner une série
web-workshop-queue-wipe = Attend l'effacement
web-workshop-queue-refurbish = Attend le contrôle
web-workshop-queue-failed = Échoué
web-workshop-queue-empty = Rien dans cette liste.
web-workshop-queue-oldest = Voici les {$n} plus anciens de chaque liste.
web-workshop-queue-all = Voir tous les appareils

## Figures page (coordinators)
web-nav-figures = Chiffres
web-home-about-figures = Ce que l'année a apporté : appareils, personnes, réservations, atelier, environnement. Avec des fichiers pour Excel.
web-figures-title = Chiffres
web-figures-year = Année
web-figures-show = Afficher les chiffres
web-figures-other-period = Une autre période
web-figures-from = Premier jour
web-figures-to = Dernier jour
web-figures-year-invalid = Choisissez une année dans la liste.
web-figures-day-invalid = Indiquez une date, par exemple 2026-01-31.
web-figures-period = Du { $from } au { $to } inclus
web-figures-frozen = figés : ces chiffres ne changent plus
web-figures-frozen-done = L'année est figée. Un nouveau téléchargement donne toujours le même fichier.
web-figures-freeze = Figer { $year }
web-figures-freeze-hint = Pour le rapport à vos financeurs : les chiffres de cette année terminée sont gardés tels qu'ils sont. Les corrections plus tard ne les changent plus.
web-figures-download-csv = Télécharger pour Excel (CSV)
web-figures-download-xlsx = Télécharger en classeur (XLSX)
web-figures-none = Il n'y a pas de chiffres que vous pouvez voir.
web-figures-groups = Parties
web-figures-part = Partie
web-figures-value = Nombre
web-figures-per = { $name } par { $by }
web-figures-method = Calculé avec { $name }, version { $version }. Source : { $source }
web-figures-days = { $n } jours
web-figures-unit-kg = { $n } kg
web-figures-unit-kg_co2e = { $n } kg CO2e
web-figures-donor-anonymous = donateur anonyme
web-figures-donor-none = sans don
web-figures-group-devices = Appareils
web-figures-group-people = Personnes
web-figures-group-bookings = Réservations
web-figures-group-workshop = Atelier
web-figures-group-environment = Environnement
web-figures-by-kind = type d'appareil
web-figures-by-donor = donateur
web-figures-by-category = type d'effacement (NIST)
web-figures-by-grade = aspect (A, B, C)
web-figures-by-status = état
web-figures-by-programme = programme
web-figures-by-office = bureau
web-figures-by-organisation-kind = type d'organisation
web-figures-by-stage = étape à l'atelier
web-figures-orgkind-school = école
web-figures-orgkind-non-profit = association
web-figures-orgkind-city-service = service de la ville
web-figures-orgkind-welfare-office = bureau social
web-figures-orgkind-workshop = atelier
web-figures-orgkind-lending-service = service de prêt
web-figures-orgkind-donor-company = entreprise donatrice
web-figures-registered = Appareils reçus
web-figures-wiped = Appareils effacés
web-figures-media-wiped = Disques effacés
web-figures-refurbished = Appareils contrôlés et remis en état
web-figures-released = Appareils prêts à l'emploi
web-figures-lent = Appareils prêtés à des personnes
web-figures-booked-out = Appareils sortis pour une réservation
web-figures-returned = Appareils revenus
web-figures-lost = Appareils perdus
web-figures-sold = Appareils achetés par l'emprunteur
web-figures-retired = Appareils recyclés
web-figures-found = Appareils perdus retrouvés
web-figures-stock-at-end = Appareils au dernier jour
web-figures-people-reached = Personnes atteintes
web-figures-borrower-records = Fiches d'emprunteurs
web-figures-possible-duplicates = Fiches peut-être en double (comptées une fois)
web-figures-loans-signed = Prêts signés
web-figures-devices-lent = Appareils dans les prêts signés
web-figures-loans-active-at-end = Prêts en cours au dernier jour
web-figures-checkpoints-on-time = Contrôles à temps
web-figures-checkpoints-late = Contrôles en retard
web-figures-charges-raised-eur = Facturé
web-figures-charges-paid-eur = Payé
web-figures-charges-waived-eur = Annulé
web-figures-requested = Réservations demandées
web-figures-confirmed = Réservations confirmées
web-figures-refused = Réservations non servies
web-figures-cancelled = Réservations annulées
web-figures-devices-booked-out = Appareils sortis
web-figures-organisations-served = Organisations servies
web-figures-quantity-requested = Appareils demandés
web-figures-quantity-served = Appareils sortis pour ces réservations
web-figures-share-served = Part de la demande servie
web-figures-stage-exits = Appareils passés par chaque étape
web-figures-stage-days-median = Temps dans l'étape (médiane)
web-figures-stage-days-p90 = Temps dans l'étape (9 sur 10 plus vite)
web-figures-wipes-failed = Effacements échoués
web-figures-refurbishments-failed = Contrôles échoués
web-figures-devices-reused = Appareils réutilisés
web-figures-co2e-avoided-kg = Émissions évitées
web-figures-co2e-avoided-kg-low = Émissions évitées (bas)
web-figures-co2e-avoided-kg-high = Émissions évitées (haut)
web-figures-ewaste-avoided-kg = Déchets électroniques évités
web-figures-devices-not-estimated = Réutilisés, sans estimation

web-workshop-since = depuis
web-workshop-batches-title = Dons
web-workshop-batches-empty = Pas encore de dons pour cet atelier.
web-workshop-certificate = Attestation d'effacement (PDF)
web-workshop-certificate-later = L'attestation sera prête quand tous les appareils seront effacés.
web-workshop-batch-anonymous = Donateur anonyme
web-workshop-batch-wiped = { $n } sur { $m } effacés
web-workshop-batch-refurbished = { $n } contrôlés, { $r } prêts
web-workshop-scan-title = Scanner une série
web-workshop-scan-intro = Scannez les appareils l'un après l'autre. Chaque appareil reçoit le même résultat.
web-workshop-scan-field = Étiquette ou code
web-workshop-scan-field-hint = Scannez l'étiquette, ou tapez le code (par exemple GNT-000123) et appuyez sur Entrée.
web-workshop-scan-button = Appliquer
web-workshop-scan-settings = Que faut-il appliquer ?
web-workshop-scan-mode = Étape pour chaque appareil
web-workshop-scan-refurbish-hint = Tous les contrôles comptent comme réussis.
web-workshop-scan-list = Scannés ({ $n } réussis)
web-workshop-scan-empty = Rien de scanné pour l'instant.
web-workshop-scan-clear = Vider la liste
web-workshop-back = Retour à l'atelier
web-workshop-scan-not-found = Cet appareil n'existe pas ou vous ne pouvez pas le voir. Vérifiez le code.
web-workshop-scan-invalid = Ce n'est pas possible avec ces réglages. Regardez « Que faut-il appliquer ? ».
web-workshop-scan-mode-wipe = Effacer (et étape effacé)
web-workshop-scan-mode-refurbish = Contrôle (et étape contrôlé)
web-workshop-scan-mode-release = Prêt à prêter
web-workshop-scan-done-wipe = Effacé.
web-workshop-scan-done-refurbish = Contrôlé.
web-workshop-scan-done-release = Prêt à prêter.
web-workshop-status-received = Reçu
web-workshop-status-wiped = Effacé
web-workshop-status-refurbished = Contrôlé
web-workshop-status-ready = Prêt à prêter
web-workshop-status-on_loan = Prêté
web-workshop-status-booked_out = Réservé et sorti
web-workshop-status-returned = Rapporté
web-workshop-status-in_repair = En réparation
web-workshop-status-retired = Recyclé
web-workshop-status-lost = Perdu
web-workshop-status-sold = Vendu
web-workshop-event-wipe = Effacé
web-workshop-event-refurbish = Contrôlé
web-workshop-event-release = Libéré
web-workshop-event-lend = Prêté
web-workshop-event-book_out = Sorti pour une réservation
web-workshop-event-check_in = Rapporté
web-workshop-event-send_to_repair = En réparation
web-workshop-event-retire = Recyclé
web-workshop-event-mark_lost = Signalé perdu
web-workshop-event-sell = Vendu
web-workshop-event-found = Retrouvé
web-workshop-event-registered = Reçu
web-workshop-event-edited = Données modifiées
web-workshop-event-assigned = Confié à l'atelier
web-workshop-event-drive_added = Disque ajouté
web-workshop-event-wipe_recorded = Effacement noté
web-workshop-event-refurbishment_recorded = Contrôle noté
web-workshop-method-clear-overwrite = Écraser (clear)
web-workshop-method-purge-overwrite = Écraser un disque dur (purge)
web-workshop-method-purge-block_erase = Block erase du disque (purge)
web-workshop-method-purge-crypto_erase = Crypto-erase du disque (purge)
web-workshop-method-purge-firmware_secure_erase = Secure erase du disque (purge)
web-workshop-method-clear-factory_reset = Réinitialisation d'usine, sans chiffrement (clear)
web-workshop-method-purge-factory_reset = Réinitialisation d'usine avec chiffrement (purge)
web-workshop-method-destroy-physical_destruction = Détruit (destroy)
web-workshop-verification-none = Non
web-workshop-verification-sample = Oui, par échantillon
web-workshop-verification-full = Oui, complètement
web-workshop-drive-hdd = Disque dur (HDD)
web-workshop-drive-ssd = SSD
web-workshop-drive-nvme = SSD NVMe
web-workshop-drive-emmc = eMMC
web-workshop-drive-flash = Mémoire flash
web-workshop-drive-other = Autre
web-workshop-grade-A = A : comme neuf
web-workshop-grade-B = B : peu usé
web-workshop-grade-C = C : usure visible
web-workshop-outcome-passed = Réussi
web-workshop-outcome-failed = Échoué
web-workshop-outcome-yes = Oui, réussi
web-workshop-outcome-no = Non, pas réussi
web-workshop-check-boots = Démarre
web-workshop-check-screen = Écran
web-workshop-check-keyboard = Clavier
web-workshop-check-touchpad = Pavé tactile
web-workshop-check-ports = Ports (USB, ...)
web-workshop-check-camera = Caméra
web-workshop-check-wifi = Wi-Fi
web-workshop-check-charger_present = Chargeur présent
web-workshop-check-works = Fait ce qu'il doit faire
web-workshop-step-wipe = Effacez le stockage et notez le résultat.
web-workshop-step-wipe-step = Tout est effacé. Confirmez l'étape.
web-workshop-step-refurbish = Contrôlez l'appareil et donnez une classe.
web-workshop-step-repair = Le contrôle a échoué. Réparez l'appareil et contrôlez à nouveau.
web-workshop-step-release = Libérez l'appareil pour le prêt.
web-workshop-step-ready = Terminé. L'appareil peut être prêté.
web-workshop-step-nothing = Rien à faire à l'atelier.
web-workshop-done-wipe = L'effacement est enregistré. L'appareil est effacé.
web-workshop-done-wipe-failed = L'effacement est enregistré, mais tout n'a pas réussi. Effacez à nouveau.
web-workshop-done-refurbish = Le contrôle est enregistré.
web-workshop-done-refurbish-failed = Le contrôle est enregistré : pas réussi.
web-workshop-done-release = L'appareil est prêt à être prêté.
web-workshop-done-report = Le rapport est enregistré.
web-workshop-done-send_to_repair = L'appareil est en réparation.
web-workshop-done-retire = L'appareil part au recyclage.
web-refusal-national-number = semble contenir un numéro de registre national ; il ne peut pas être enregistré ici, retirez-le
