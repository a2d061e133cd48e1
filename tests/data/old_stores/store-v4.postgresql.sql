--
-- PostgreSQL database dump
--

\restrict v9dUNwhkhpysJ02X5YPS48Ylk1twoVP7fIUsf6ETv5to7JyaHTVhbxFiftdv5Kl

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: casecoach_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.casecoach_meta (
    key character varying(64) NOT NULL,
    value character varying(255) NOT NULL
);


--
-- Name: drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drafts (
    id integer NOT NULL,
    owner character varying(200) NOT NULL,
    kind character varying(64) NOT NULL,
    item character varying(200) NOT NULL,
    body text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: drafts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.drafts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: drafts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.drafts_id_seq OWNED BY public.drafts.id;


--
-- Name: exercises; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.exercises (
    id integer NOT NULL,
    code character varying(16) NOT NULL,
    scenario_id character varying(100) NOT NULL,
    kind character varying(16) DEFAULT 'goal'::character varying NOT NULL,
    item character varying(100) NOT NULL,
    created_by character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    names_shown integer NOT NULL,
    spotlight character varying(200)
);


--
-- Name: exercises_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.exercises_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: exercises_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.exercises_id_seq OWNED BY public.exercises.id;


--
-- Name: plans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plans (
    id integer NOT NULL,
    owner character varying(200) NOT NULL,
    client_name character varying(200) NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: plans_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.plans_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: plans_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.plans_id_seq OWNED BY public.plans.id;


--
-- Name: progress; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.progress (
    id integer NOT NULL,
    owner character varying(200) NOT NULL,
    cohort character varying(64) NOT NULL,
    module character varying(64) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone,
    attempts integer NOT NULL,
    score integer
);


--
-- Name: progress_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.progress_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: progress_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.progress_id_seq OWNED BY public.progress.id;


--
-- Name: submissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.submissions (
    id integer NOT NULL,
    exercise_id integer NOT NULL,
    trainee character varying(200) NOT NULL,
    text text NOT NULL,
    revision integer NOT NULL,
    submitted_at timestamp with time zone NOT NULL
);


--
-- Name: submissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.submissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: submissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.submissions_id_seq OWNED BY public.submissions.id;


--
-- Name: drafts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts ALTER COLUMN id SET DEFAULT nextval('public.drafts_id_seq'::regclass);


--
-- Name: exercises id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exercises ALTER COLUMN id SET DEFAULT nextval('public.exercises_id_seq'::regclass);


--
-- Name: plans id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans ALTER COLUMN id SET DEFAULT nextval('public.plans_id_seq'::regclass);


--
-- Name: progress id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.progress ALTER COLUMN id SET DEFAULT nextval('public.progress_id_seq'::regclass);


--
-- Name: submissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions ALTER COLUMN id SET DEFAULT nextval('public.submissions_id_seq'::regclass);


--
-- Data for Name: casecoach_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.casecoach_meta VALUES ('schema_version', '4');


--
-- Data for Name: drafts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.drafts VALUES (1, 'ana', 'chart', 'marcus-art', '{"now": "Sleeps on his sister Denise’s couch <b>for now</b>", "v": 2}', '2026-12-01 17:49:50.944978+00');
INSERT INTO public.drafts VALUES (2, 'ben', 'goal', 'rg-housing', '{"text": "Within 4 weeks, Marcus will apply to 3 programs."}', '2026-12-01 17:49:50.946691+00');


--
-- Data for Name: exercises; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.exercises VALUES (1, 'OLD23', 'marcus-art', 'goal', 'rg-housing', 'sup', '2026-12-01 17:49:50.965648+00', NULL, 1, 'Ana');
INSERT INTO public.exercises VALUES (2, 'ROW42', 'marcus-art', 'chart_row', 'housing', 'sup', '2026-12-01 17:49:50.979911+00', NULL, 0, NULL);


--
-- Data for Name: plans; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.plans VALUES (1, 'cw', 'Dana Price', '{"client_name": "Dana Price", "note": "edited"}', '2026-12-01 17:49:50.949006+00', '2026-12-01 17:49:50.951494+00');
INSERT INTO public.plans VALUES (2, 'cw2', 'Luis Ortega', '{"client_name": "Luis Ortega", "goals": [{"text": "Ámbito: empleo"}]}', '2026-12-01 17:49:50.953826+00', '2026-12-01 17:49:50.953826+00');


--
-- Data for Name: progress; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.progress VALUES (1, 'ana', 'spring', '01-goals', '2026-12-01 17:49:50.958647+00', '2026-12-01 17:49:50.958647+00', 2, 3);
INSERT INTO public.progress VALUES (2, 'ben', '', '02-language', '2026-12-01 17:49:50.963238+00', NULL, 1, NULL);


--
-- Data for Name: submissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.submissions VALUES (1, 1, 'Ana', 'Within 4 weeks, Marcus will apply to 3 housing programs.', 2, '2026-12-01 17:49:50.973508+00');
INSERT INTO public.submissions VALUES (3, 1, 'Ben', 'Within 2 weeks, Marcus will call the housing office.', 1, '2026-12-01 17:49:50.975752+00');
INSERT INTO public.submissions VALUES (4, 2, 'Cy', '{"now": "Sleeps on his sister''s couch"}', 1, '2026-12-01 17:49:50.981346+00');


--
-- Name: drafts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.drafts_id_seq', 2, true);


--
-- Name: exercises_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.exercises_id_seq', 2, true);


--
-- Name: plans_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.plans_id_seq', 3, true);


--
-- Name: progress_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.progress_id_seq', 2, true);


--
-- Name: submissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.submissions_id_seq', 4, true);


--
-- Name: casecoach_meta casecoach_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.casecoach_meta
    ADD CONSTRAINT casecoach_meta_pkey PRIMARY KEY (key);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (id);


--
-- Name: exercises exercises_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exercises
    ADD CONSTRAINT exercises_code_key UNIQUE (code);


--
-- Name: exercises exercises_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exercises
    ADD CONSTRAINT exercises_pkey PRIMARY KEY (id);


--
-- Name: plans plans_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plans
    ADD CONSTRAINT plans_pkey PRIMARY KEY (id);


--
-- Name: progress progress_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.progress
    ADD CONSTRAINT progress_pkey PRIMARY KEY (id);


--
-- Name: submissions submissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT submissions_pkey PRIMARY KEY (id);


--
-- Name: drafts uq_draft; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT uq_draft UNIQUE (owner, kind, item);


--
-- Name: progress uq_progress; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.progress
    ADD CONSTRAINT uq_progress UNIQUE (owner, module);


--
-- Name: submissions uq_submission; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT uq_submission UNIQUE (exercise_id, trainee);


--
-- Name: ix_plans_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plans_owner ON public.plans USING btree (owner);


--
-- Name: ix_submissions_exercise_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_submissions_exercise_id ON public.submissions USING btree (exercise_id);


--
-- PostgreSQL database dump complete
--

\unrestrict v9dUNwhkhpysJ02X5YPS48Ylk1twoVP7fIUsf6ETv5to7JyaHTVhbxFiftdv5Kl

