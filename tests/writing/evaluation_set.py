"""A labelled evaluation set for the statement analyzer: 48 short paragraphs written for these tests.

Every paragraph was written by a medmatch engineer for this file (none is copied from a real
statement); the four programs are fictional. Half of the paragraphs (``g..``) are built around
generic or cliché sentences, half (``s..``) are specific to one program, though a few specific
paragraphs keep one weak sentence, as real drafts do.

Each sentence carries a label, decided when the sentence was written, before the detector existed:

* ``F`` (flag) — the sentence contains a phrase from the cliché list
  (``src/medmatch/writing/data/personal_statement_cliche_patterns.csv``, rows C001–C027; the
  low-weight superlatives row C028 is a style warning and does not count), **or** it would fit any
  program's statement unchanged: praise of the program, a statement of intent, a self-description
  or a platitude that names nothing concrete (no place, person, department, number or lived
  experience).
* ``-`` — anything else.

``split`` is fixed per paragraph: ``test`` when the paragraph number modulo 5 is 1 or 3 (10 generic
and 10 specific paragraphs), ``train`` otherwise. The detector's rules were tuned on ``train`` only;
``tests/writing/test_quality.py`` asserts the targets on ``test``.
"""

from __future__ import annotations

PROGRAMS = {
    "lakeshore": {
        "program_title": "Internal Medicine Residency",
        "institution_name": "Lakeshore University Hospital",
        "institution_short_forms": ("Lakeshore", "LUH"),
        "specialty_names": ("Internal Medicine",),
        "city": "Duluth",
        "region": "Minnesota",
        "departments": ("Cardiology", "Gastroenterology", "Hospital Medicine"),
        "setting": "academic",
        "has_mentorship": True,
        "has_research": True,
        "description_keywords": ("rural outreach", "point-of-care ultrasound"),
    },
    "cedar": {
        "program_title": "Family Medicine Residency",
        "institution_name": "Cedar Valley Community Hospital",
        "institution_short_forms": ("Cedar Valley",),
        "specialty_names": ("Family Medicine",),
        "city": "Yakima",
        "region": "Washington",
        "departments": ("Family Medicine", "Obstetrics"),
        "setting": "community",
        "has_mentorship": True,
        "has_research": False,
        "description_keywords": ("farmworker health", "Spanish"),
    },
    "harbor": {
        "program_title": "Pediatrics Residency",
        "institution_name": "Harbor Children's Medical Center",
        "institution_short_forms": ("Harbor Children's",),
        "specialty_names": ("Pediatrics",),
        "city": "Savannah",
        "region": "Georgia",
        "departments": ("Neonatology", "Pediatric Cardiology", "Adolescent Medicine"),
        "setting": "academic",
        "has_mentorship": True,
        "has_research": True,
        "description_keywords": ("sickle cell", "asthma"),
    },
    "northgate": {
        "program_title": "General Surgery Residency",
        "institution_name": "Northgate Regional Medical Center",
        "institution_short_forms": ("Northgate",),
        "specialty_names": ("General Surgery",),
        "city": "Tulsa",
        "region": "Oklahoma",
        "departments": ("Trauma Surgery", "Surgical Oncology"),
        "setting": "community",
        "has_mentorship": False,
        "has_research": True,
        "description_keywords": ("Level I trauma", "simulation lab"),
    },
}


def _split(paragraph_id: str) -> str:
    return "test" if int(paragraph_id[1:]) % 5 in (1, 3) else "train"


def P(paragraph_id: str, program: str, *sentences: tuple[str, str]) -> dict:
    return {
        "id": paragraph_id,
        "split": _split(paragraph_id),
        "program": program,
        "sentences": tuple((label == "F", text) for label, text in sentences),
    }


F, N = "F", "-"

PARAGRAPHS = [
    # ---- generic / cliché paragraphs ------------------------------------------------------------
    P(
        "g01",
        "lakeshore",
        (F, "Ever since I was a child, I have known that I wanted to become a doctor."),
        (F, "I am applying to your prestigious program because it values excellence."),
        (F, "I believe I would be a great fit for your residency."),
        (N, "I completed my clerkships in Minneapolis and Rochester."),
    ),
    P(
        "g02",
        "cedar",
        (F, "From a young age I was fascinated by the human body and how it heals."),
        (F, "I want to help people, and family medicine lets me do that every day."),
        (F, "Your program offers a supportive environment where I can grow as a physician."),
    ),
    P(
        "g03",
        "harbor",
        (F, "My journey to pediatrics began with a toy stethoscope."),
        (F, "I have always dreamed of being a doctor who cares for children."),
        (F, "I am a hard-working, dedicated team player."),
        (F, "I look forward to contributing to your team."),
    ),
    P(
        "g04",
        "northgate",
        (F, "It was a stormy night when the sirens woke me."),
        (F, "That night I saved a patient's life for the first time."),
        (F, "Surgery is a demanding field that requires dedication and sacrifice."),
        (F, "I know I would be a valuable asset to your program."),
    ),
    P(
        "g05",
        "lakeshore",
        (F, "My grandmother's illness showed me the importance of compassionate care."),
        (F, "I learned that empathy is the most important quality in a physician."),
        (F, "I am seeking a program that provides excellent training and strong mentorship."),
    ),
    P(
        "g06",
        "cedar",
        (F, "I have a passion for medicine that drives everything I do."),
        (F, "I want to make a difference in the lives of my patients."),
        (N, "I spent two summers working at a pharmacy in Spokane."),
        (F, "I am confident that I will thrive in your program."),
    ),
    P(
        "g07",
        "harbor",
        (F, "Watching Grey's Anatomy as a teenager made me want to work in a hospital."),
        (F, "Since then, my passion for helping others has only grown."),
        (F, "I hope to join a residency that shares my values."),
    ),
    P(
        "g08",
        "northgate",
        (F, "I did not enjoy my psychiatry rotation, so I chose surgery."),
        (F, "Surgery offers the immediate results that I find rewarding."),
        (F, "Your program is known for its outstanding faculty and excellent reputation."),
        (F, "I would be honored to train at such a renowned institution."),
    ),
    P(
        "g09",
        "lakeshore",
        (F, "I want to serve my community as an internist."),
        (F, "I am a lifelong learner with a strong work ethic."),
        (F, "Your program's commitment to excellence in patient care is what draws me to it."),
    ),
    P(
        "g10",
        "cedar",
        (F, "Growing up, I never wanted to be a doctor."),
        (F, "Everything changed when my father's diagnosis brought us to the hospital."),
        (F, "Now I know that medicine is my calling."),
        (F, "I am eager to continue learning in a collaborative environment."),
    ),
    P(
        "g11",
        "harbor",
        (F, "I was born to be a doctor."),
        (F, "Children deserve the best possible care, and I want to provide it."),
        (F, "I believe your program will help me reach my full potential."),
    ),
    P(
        "g12",
        "northgate",
        (F, "Frequent visits to the doctor as a child sparked my interest in medicine."),
        (F, "I hope to one day join Doctors Without Borders."),
        (F, "I am a motivated and detail-oriented applicant."),
        (F, "Thank you for considering my application."),
    ),
    P(
        "g13",
        "lakeshore",
        (F, "Internal medicine is the perfect specialty for someone who loves solving puzzles."),
        (F, "I want to train in a program with a diverse patient population."),
        (F, "I would be an excellent addition to your team."),
    ),
    P(
        "g14",
        "cedar",
        (F, "The reality of medicine is hard, but I know it is worth it."),
        (F, "I am deeply committed to providing high-quality care to every patient."),
        (F, "Your residency seems like the ideal place to develop my clinical skills."),
    ),
    P(
        "g15",
        "harbor",
        (F, "I hope to emulate Dr. Hughes, the pediatrician who treated me as a boy."),
        (N, "She once drove forty miles to check on my brother after a storm."),
        (F, "I want to be that kind of doctor for my patients."),
        (F, "Your program would give me the tools I need to succeed."),
    ),
    P(
        "g16",
        "northgate",
        (F, "I have always wanted to become a surgeon and a doctor who fixes things."),
        (F, "I am excited about the opportunity to learn from world-class surgeons."),
        (F, "I believe I can contribute a great deal to your program."),
    ),
    P(
        "g17",
        "lakeshore",
        (F, "Medicine is a lifelong commitment to learning and service."),
        (F, "I want to cure cancer one day."),
        (F, "I am drawn to programs that emphasize teaching and a wide range of clinical experiences."),
        (N, "My research year at the Mayo Clinic taught me to read trials critically."),
    ),
    P(
        "g18",
        "cedar",
        (F, "My mother's cancer was the moment I knew I would become a physician."),
        (F, "I truly believe that every patient deserves compassion."),
        (F, "Your program's reputation for excellence is well known."),
    ),
    P(
        "g19",
        "harbor",
        (F, "I like helping people, especially children."),
        (F, "I am a compassionate and caring person."),
        (F, "I want to be part of a program where I can make a difference."),
    ),
    P(
        "g20",
        "northgate",
        (F, "Being a surgeon has been my dream for as long as I can remember."),
        (F, "I am looking for a program that will challenge me and help me grow."),
        (F, "I would be proud to be a member of your surgical family."),
    ),
    P(
        "g21",
        "lakeshore",
        (F, "Since I was five, I have played doctor with my younger sister."),
        (F, "I want to become a well-rounded physician."),
        (F, "I am confident that your program is the right place for me."),
    ),
    P(
        "g22",
        "cedar",
        (F, "I am passionate about helping the underserved and improving people's lives."),
        (F, "Family medicine allows me to care for the whole person."),
        (F, "I hope to find a program with a strong sense of community."),
    ),
    P(
        "g23",
        "harbor",
        (F, "Working with children has always been my passion."),
        (F, "I am a good listener and work well with others."),
        (F, "Your program stands out because of its excellent faculty and supportive culture."),
        (F, "I look forward to the opportunity to interview with you."),
    ),
    P(
        "g24",
        "northgate",
        (F, "My dad's death when I was twelve set me on the path to medicine."),
        (F, "I want to use my skills to serve others."),
        (F, "I believe your program offers the training I need to become an excellent surgeon."),
    ),
    # ---- specific paragraphs --------------------------------------------------------------------
    P(
        "s01",
        "lakeshore",
        (N, "During my sub-internship on the hospital medicine service, I admitted 60 patients."),
        (N, "Lakeshore's point-of-care ultrasound curriculum would let me build on the scans I learned in Duluth's free clinic."),
        (N, "I would like to join Dr. Okafor's work on heart failure readmissions in the cardiology department."),
    ),
    P(
        "s02",
        "cedar",
        (N, "I grew up in the Yakima Valley and translated for my parents at every clinic visit."),
        (N, "Cedar Valley's farmworker health clinic is the reason I am applying."),
        (N, "I would bring four years of Spanish-language health education work with the Promotoras network."),
    ),
    P(
        "s03",
        "harbor",
        (N, "At the sickle cell day hospital in Atlanta, I saw how a missed transition visit led to a crisis."),
        (N, "Harbor Children's transition clinic for adolescents with sickle cell disease addresses exactly that gap."),
        (N, "I hope to study hydroxyurea adherence with the Adolescent Medicine group in Savannah."),
    ),
    P(
        "s04",
        "northgate",
        (N, "As a trauma tech in a Level I center, I logged over 300 activations in two years."),
        (N, "Northgate's simulation lab, with its weekly laparoscopic skills sessions, would sharpen my technique early."),
        (N, "Tulsa's mix of urban and rural trauma is the caseload I want to train in."),
    ),
    P(
        "s05",
        "lakeshore",
        (N, "In my third year I spent six weeks with the gastroenterology consult team at a county hospital."),
        (N, "I followed a 54-year-old man with alcoholic hepatitis from admission to his first clinic visit."),
        (N, "LUH's rural outreach rotation in northern Minnesota matches the care I want to give."),
    ),
    P(
        "s06",
        "cedar",
        (N, "My obstetrics clerkship in Wenatchee included twelve deliveries with a family physician."),
        (N, "Cedar Valley's residents manage their own prenatal panel from the first year, which few programs offer."),
        (F, "I am confident that I would be a good fit."),
    ),
    P(
        "s07",
        "harbor",
        (N, "I spent a research year measuring inhaler technique in 180 children with asthma."),
        (N, "Harbor Children's school-based asthma program in Chatham County is the model we cited in our poster."),
        (N, "I would like to extend that work with the pulmonary team during my second year."),
    ),
    P(
        "s08",
        "northgate",
        (N, "Dr. Lin's surgical oncology clinic at Northgate runs a pancreatic cancer tumor board each Thursday."),
        (N, "I presented two cases at a similar board during my sub-internship in Oklahoma City."),
        (N, "Learning the Whipple procedure from a high-volume team is one of my goals for residency."),
    ),
    P(
        "s09",
        "lakeshore",
        (N, "Lakeshore University Hospital's cardiology fellows teach an ECG conference every Tuesday morning."),
        (N, "I ran a similar peer-teaching series for 40 second-year students at my school."),
        (N, "I hope to contribute to the curriculum while learning from Duluth's cardiology faculty."),
    ),
    P(
        "s10",
        "cedar",
        (N, "I worked for three years as a medical assistant at a migrant health clinic in the Wenatchee Valley."),
        (N, "Cedar Valley's partnership with the regional farmworker housing authority brings care to the orchards."),
        (N, "I want to learn full-scope family medicine, including obstetrics, in a rural setting like Yakima."),
    ),
    P(
        "s11",
        "harbor",
        (N, "In the neonatal intensive care unit, I watched a nurse teach a mother to feed her 28-week infant through a tube."),
        (N, "Harbor Children's Neonatology division runs a family-integrated care program that trains parents at the bedside."),
        (N, "I would like to study how that program affects readmissions in Savannah."),
    ),
    P(
        "s12",
        "northgate",
        (N, "Northgate's acute care surgery service covers three rural hospitals by telemedicine."),
        (N, "I helped design a telehealth triage protocol for a critical access hospital in western Kansas."),
        (F, "I believe I would thrive in your program."),
    ),
    P(
        "s13",
        "lakeshore",
        (N, "At the Fond du Lac clinic, I screened 75 patients for hepatitis C as part of a student project."),
        (N, "Lakeshore's gastroenterology division treats most of the hepatitis C patients in northern Minnesota."),
        (N, "I want to continue that work during my ambulatory blocks."),
    ),
    P(
        "s14",
        "cedar",
        (N, "Spanish is my first language, and I passed the medical interpreter exam in 2021."),
        (N, "Cedar Valley's residents see most of their continuity patients in Spanish, which I value."),
        (N, "I want to keep building a practice in the Yakima clinic where I did my rotation."),
    ),
    P(
        "s15",
        "harbor",
        (N, "My pediatric cardiology elective in Charleston introduced me to single-ventricle physiology."),
        (N, "The Harbor Children's Pediatric Cardiology team follows more than 200 Fontan patients."),
        (N, "I hope to join their long-term outcomes registry as a resident."),
        (F, "Thank you for your time and consideration."),
    ),
    P(
        "s16",
        "northgate",
        (N, "I spent a month on the burn unit at a regional center in Wichita."),
        (N, "Dressing changes on a 9-year-old with 30 percent burns taught me how to manage pain with a team."),
        (N, "Northgate's trauma surgery service has its own burn beds, which would let me keep learning that care."),
    ),
    P(
        "s17",
        "lakeshore",
        (N, "As a volunteer EMT on the Iron Range, I transported patients to Duluth in winter storms."),
        (N, "Lakeshore's transfer center coordinates many of those flights, and I want to see the other end."),
        (N, "The hospital medicine service's night float is where I would learn to manage those admissions."),
    ),
    P(
        "s18",
        "cedar",
        (N, "I organized a diabetes group visit for 14 patients at a federally qualified health center."),
        (N, "Cedar Valley's group prenatal care program follows the same model."),
        (N, "I would like to help start a group visit for farmworkers with diabetes in Yakima."),
    ),
    P(
        "s19",
        "harbor",
        (N, "I coached a youth soccer team in Macon for four seasons."),
        (N, "Two of my players had asthma, and I learned to recognize an attack on the sideline."),
        (N, "Harbor Children's asthma education nurses visit schools across Georgia."),
    ),
    P(
        "s20",
        "northgate",
        (N, "I am applying to Northgate Regional Medical Center because of its simulation lab and robotics curriculum."),
        (N, "In my fourth year I completed 20 hours on a robotic console simulator."),
        (F, "I am a hard-working and dedicated student."),
    ),
    P(
        "s21",
        "lakeshore",
        (N, "Dr. Bergstrom's mentorship program pairs each intern with a faculty advisor for three years."),
        (N, "I had a similar advisor at the University of Iowa who helped me publish my first case report."),
        (N, "That report described a rare cardiac sarcoidosis presentation in a 36-year-old farmer."),
    ),
    P(
        "s22",
        "cedar",
        (N, "The Cedar Valley rural track sends residents to a critical access hospital in Toppenish."),
        (N, "I grew up 20 minutes from Toppenish and still volunteer at its food bank."),
        (N, "Training there would bring me home to the community that raised me."),
    ),
    P(
        "s23",
        "harbor",
        (N, "During my pediatrics clerkship in Augusta, a 14-year-old told me she skipped insulin to lose weight."),
        (N, "Harbor Children's Adolescent Medicine clinic screens every teenager with diabetes for disordered eating."),
        (N, "I would like to learn that screening and bring it to my future practice."),
    ),
    P(
        "s24",
        "northgate",
        (N, "My research on rib fixation outcomes was presented at the 2023 Southwestern Surgical Congress."),
        (N, "Northgate's trauma registry, which tracks every rib fracture admission, would let me continue that study."),
        (N, "I also want to teach in the simulation lab for Tulsa's medical students."),
    ),
]


def labelled_paragraphs(split: str | None = None):
    """Yield ``(paragraph, text, spans)``: the joined text and the ``(start, end, flag)`` of each
    labelled sentence, for ``split`` ("train", "test") or all when None."""
    for paragraph in PARAGRAPHS:
        if split is not None and paragraph["split"] != split:
            continue
        parts, spans, offset = [], [], 0
        for flagged, sentence in paragraph["sentences"]:
            spans.append((offset, offset + len(sentence), flagged))
            parts.append(sentence)
            offset += len(sentence) + 1
        yield paragraph, " ".join(parts), spans
