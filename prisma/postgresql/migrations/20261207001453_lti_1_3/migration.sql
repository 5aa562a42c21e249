-- CreateTable
CREATE TABLE "LtiPlatform" (
    "id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "authUrl" TEXT NOT NULL,
    "tokenUrl" TEXT NOT NULL,
    "jwksUrl" TEXT NOT NULL,
    "ownerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiPlatform_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LtiDeployment" (
    "platformId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiDeployment_pkey" PRIMARY KEY ("platformId","deploymentId")
);

-- CreateTable
CREATE TABLE "LtiKey" (
    "kid" TEXT NOT NULL,
    "privateJwk" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),
    "publishUntil" TIMESTAMP(3),

    CONSTRAINT "LtiKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "LtiLoginState" (
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "continueToken" TEXT,

    CONSTRAINT "LtiLoginState_pkey" PRIMARY KEY ("state")
);

-- CreateTable
CREATE TABLE "LtiUser" (
    "platformId" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "instructorId" TEXT,
    "name" TEXT,
    "email" TEXT,
    "roles" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiUser_pkey" PRIMARY KEY ("platformId","sub")
);

-- CreateTable
CREATE TABLE "LtiContext" (
    "id" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "contextId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "membershipsUrl" TEXT,
    "lineItemsUrl" TEXT,
    "lastRosterSyncAt" TIMESTAMP(3),
    "rosterError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiContext_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LtiResourceLink" (
    "id" TEXT NOT NULL,
    "contextRowId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "title" TEXT,
    "lineItemUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiResourceLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LtiGradeLink" (
    "learnerId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LtiGradeLink_pkey" PRIMARY KEY ("learnerId","resourceLinkId")
);

-- CreateTable
CREATE TABLE "LtiScoreOutbox" (
    "id" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "scoreGiven" DOUBLE PRECISION,
    "scoreMaximum" DOUBLE PRECISION,

    CONSTRAINT "LtiScoreOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LtiRegistrationToken" (
    "tokenHash" TEXT NOT NULL,
    "instructorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "LtiRegistrationToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "LtiAuditLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT NOT NULL,
    "issuer" TEXT,
    "detail" TEXT NOT NULL,

    CONSTRAINT "LtiAuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LtiPlatform_issuer_clientId_key" ON "LtiPlatform"("issuer", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiLoginState_nonce_key" ON "LtiLoginState"("nonce");

-- CreateIndex
CREATE UNIQUE INDEX "LtiLoginState_continueToken_key" ON "LtiLoginState"("continueToken");

-- CreateIndex
CREATE INDEX "LtiLoginState_expiresAt_idx" ON "LtiLoginState"("expiresAt");

-- CreateIndex
CREATE INDEX "LtiUser_learnerId_idx" ON "LtiUser"("learnerId");

-- CreateIndex
CREATE INDEX "LtiUser_instructorId_idx" ON "LtiUser"("instructorId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiContext_cohortId_key" ON "LtiContext"("cohortId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiContext_platformId_deploymentId_contextId_key" ON "LtiContext"("platformId", "deploymentId", "contextId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiResourceLink_contextRowId_resourceLinkId_key" ON "LtiResourceLink"("contextRowId", "resourceLinkId");

-- CreateIndex
CREATE INDEX "LtiGradeLink_learnerId_lessonSlug_idx" ON "LtiGradeLink"("learnerId", "lessonSlug");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_status_nextAttemptAt_idx" ON "LtiScoreOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_learnerId_resourceLinkId_status_idx" ON "LtiScoreOutbox"("learnerId", "resourceLinkId", "status");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_resourceLinkId_status_idx" ON "LtiScoreOutbox"("resourceLinkId", "status");

-- CreateIndex
CREATE INDEX "LtiAuditLog_at_idx" ON "LtiAuditLog"("at");

-- AddForeignKey
ALTER TABLE "LtiDeployment" ADD CONSTRAINT "LtiDeployment_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiLoginState" ADD CONSTRAINT "LtiLoginState_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiUser" ADD CONSTRAINT "LtiUser_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiUser" ADD CONSTRAINT "LtiUser_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiContext" ADD CONSTRAINT "LtiContext_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiContext" ADD CONSTRAINT "LtiContext_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiResourceLink" ADD CONSTRAINT "LtiResourceLink_contextRowId_fkey" FOREIGN KEY ("contextRowId") REFERENCES "LtiContext"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiGradeLink" ADD CONSTRAINT "LtiGradeLink_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiGradeLink" ADD CONSTRAINT "LtiGradeLink_resourceLinkId_fkey" FOREIGN KEY ("resourceLinkId") REFERENCES "LtiResourceLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiScoreOutbox" ADD CONSTRAINT "LtiScoreOutbox_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LtiScoreOutbox" ADD CONSTRAINT "LtiScoreOutbox_resourceLinkId_fkey" FOREIGN KEY ("resourceLinkId") REFERENCES "LtiResourceLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;
